# SPDX-License-Identifier: GPL-3.0-or-later
"""axe-core in the real app, through WebDriver. The app's CSP blocks an injected <script>, so
axe's source goes in as the body of an `execute/sync` script (it defines `window.axe`), then
`axe.run` runs in `execute/async`. Rules: WCAG 2.0/2.1 A and AA, and axe's best practices."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
AXE = os.path.join(HERE, "..", "..", "ui", "node_modules", "axe-core", "axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Rules turned off, each with the reason. Keep this list short.
DISABLED = {}

_source = None


def _axe_source():
    global _source
    if _source is None:
        if not os.path.exists(AXE):
            raise RuntimeError(f"axe-core is missing ({AXE}): run `npm ci` in ui/ (make test does)")
        with open(AXE, encoding="utf-8") as f:
            _source = f.read()
    return _source


def violations(d):
    """axe's violations on the page as it is now, as readable lines (rule, impact, where, why)."""
    # A dialog fades in: axe would measure contrast through its half-transparent frames.
    d.wait_until(lambda: d.script("return document.getAnimations().every(a => a.playState !== 'running')"),
                 timeout=5, what="animations finished")
    if not d.script("return typeof window.axe === 'object'"):
        d.script(_axe_source() + "\nreturn true;")
    opts = {"runOnly": {"type": "tag", "values": TAGS},
            "rules": {rule: {"enabled": False} for rule in DISABLED},
            "resultTypes": ["violations"]}
    result = d.script_async(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify([{id: 'axe-error', impact: 'error', help: String(e), nodes: []}])));",
        opts)
    out = []
    for v in json.loads(result):
        for n in v.get("nodes", [])[:5] or [{}]:
            where = " ".join(str(t) for t in n.get("target", []))
            why = (n.get("failureSummary") or "").replace("\n", " ")
            out.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} — at {where}: {why}")
    return out


class Audit:
    """Collects axe's findings screen by screen; `assert_clean` fails listing all of them."""

    def __init__(self, d):
        self.d = d
        self.found = {}
        self.screens = []

    def check(self, screen):
        self.screens.append(screen)
        found = violations(self.d)
        if found:
            self.found[screen] = found

    def focus_kept(self, after):
        """Focus must never fall to <body> (or nowhere) after an action."""
        tag = self.d.script("const e = document.activeElement; return e ? e.tagName : 'NONE'")
        if tag in ("BODY", "NONE", "HTML"):
            self.found.setdefault(after, []).append(f"focus fell to <{tag.lower()}>")

    def assert_clean(self):
        if self.found:
            lines = [f"[{screen}] {line}" for screen, lines in self.found.items() for line in lines]
            raise AssertionError(f"axe found {len(lines)} problems on {len(self.found)} of "
                                 f"{len(self.screens)} screens:\n" + "\n".join(lines))
