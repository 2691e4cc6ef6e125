# SPDX-License-Identifier: GPL-3.0-or-later
"""A small W3C WebDriver client (standard library only) for driving the real Keydeck window
through tauri-driver + WebKitWebDriver."""
import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self, app, env, args=()):
        self.port = free_port()
        native = free_port()
        self.proc = subprocess.Popen(
            ["tauri-driver", "--port", str(self.port), "--native-port", str(native)],
            env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("KEYDECK_E2E_DRIVER_LOG", os.devnull), "ab"),
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/status", timeout=2)
                break
            except Exception:
                if time.time() > deadline:
                    self.proc.kill()
                    raise WebDriverError("tauri-driver did not start")
                time.sleep(0.2)
        caps = {"capabilities": {"alwaysMatch": {"tauri:options": {"application": app, "args": list(args)}}}}
        # The first session after tauri-driver starts is sometimes dropped while WebKitWebDriver
        # comes up: retry a few times before calling it a failure.
        for attempt in range(4):
            try:
                r = self._req("POST", "/session", caps)
                break
            except (ConnectionError, urllib.error.URLError, OSError) as e:
                if attempt == 3:
                    self.proc.kill()
                    raise WebDriverError(f"no WebDriver session: {e}") from None
                time.sleep(1 + attempt)
        self.sid = r["sessionId"]

    def _req(self, method, path, body=None, timeout=60):
        data = json.dumps(body).encode() if body is not None else None
        # tauri-driver now and then drops a connection without answering (a stale pooled
        # connection to WebKitWebDriver); the request never reached the page, so it is retried.
        for attempt in range(4):
            req = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=timeout) as resp:
                    payload = json.loads(resp.read() or b"{}")
                return payload["value"] if path == "/session" else payload.get("value", {})
            except urllib.error.HTTPError as e:
                raise WebDriverError(f"{method} {path}: {e.read().decode(errors='replace')[:400]}") from None
            except (ConnectionError, urllib.error.URLError) as e:
                if attempt == 3:
                    raise WebDriverError(f"{method} {path}: connection failed: {e}") from None
                time.sleep(0.3 * (attempt + 1))

    def s(self, method, path, body=None):
        return self._req(method, f"/session/{self.sid}{path}", body)

    # --- elements ---------------------------------------------------------------------------
    def find(self, testid, timeout=10):
        """The element with data-testid, waiting for it to appear and be displayed."""
        return self.find_css(f'[data-testid="{testid}"]', timeout)

    def find_css(self, css, timeout=10):
        deadline = time.time() + timeout
        while True:
            try:
                el = self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]
                # As a person scrolls to what they look for (inside a scrolled dialog, too).
                self.s("POST", "/execute/sync", {"script": "arguments[0].scrollIntoView({block: 'center'})",
                                                  "args": [{ELEMENT: el}]})
                # WebKitWebDriver's "displayed" atom misjudges some inline buttons: an element
                # with a layout box (non-zero size) counts as visible.
                rect = self.s("GET", f"/element/{el}/rect")
                if rect.get("width", 0) > 0 and rect.get("height", 0) > 0:
                    return el
            except (WebDriverError, ConnectionError, urllib.error.URLError):
                pass
            if time.time() > deadline:
                raise WebDriverError(f"no visible element {css}")
            time.sleep(0.1)

    def find_all(self, testid):
        els = self.s("POST", "/elements", {"using": "css selector", "value": f'[data-testid="{testid}"]'})
        return [e[ELEMENT] for e in els]

    def exists(self, testid):
        return bool(self.find_all(testid))

    def exists_css(self, css):
        return bool(self.s("POST", "/elements", {"using": "css selector", "value": css}))

    @staticmethod
    def ref(el):
        """An element as a script argument."""
        return {ELEMENT: el}

    def click(self, el):
        self.s("POST", f"/element/{el}/click", {})

    def type(self, el, text):
        # WebKitWebDriver drops "\n" from typed text: a new line is the Enter key.
        self.s("POST", f"/element/{el}/value", {"text": text.replace("\n", "\ue007")})

    def clear(self, el):
        self.s("POST", f"/element/{el}/clear", {})

    def text(self, el):
        return self.s("GET", f"/element/{el}/text")

    def prop(self, el, name):
        return self.s("GET", f"/element/{el}/property/{name}")

    def attr(self, el, name):
        return self.s("GET", f"/element/{el}/attribute/{name}")

    def keys(self, text):
        """Types into whatever has focus (W3C actions)."""
        actions = []
        for ch in text:
            actions += [{"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch}]
        self.s("POST", "/actions", {"actions": [{"type": "key", "id": "kbd", "actions": actions}]})

    def chord(self, *keys):
        down = [{"type": "keyDown", "value": k} for k in keys]
        up = [{"type": "keyUp", "value": k} for k in reversed(keys)]
        self.s("POST", "/actions", {"actions": [{"type": "key", "id": "kbd", "actions": down + up}]})

    def active(self):
        return self.s("GET", "/element/active")[ELEMENT]

    def script(self, js, *args):
        return self.s("POST", "/execute/sync", {"script": js, "args": list(args)})

    def script_async(self, js, *args):
        """Runs js with a callback as its last argument; returns what the callback is given."""
        return self.s("POST", "/execute/async", {"script": js, "args": list(args)})

    def screenshot(self, path):
        """The page as WebKit paints it; if WebKit gives no frame in 10 s (seen now and then under
        Xvfb after a window was hidden or a GTK dialog took focus), the X screen instead — a
        screenshot is a record of the step, not an assertion."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        nudged = self._nudge_frames(True)
        try:
            png = base64.b64decode(self._req("GET", f"/session/{self.sid}/screenshot", timeout=10))
        except (TimeoutError, OSError, WebDriverError) as e:
            print(f"note: WebDriver screenshot failed ({e}); took the X screen for {os.path.basename(path)}",
                  flush=True)
            subprocess.run(["import", "-window", "root", path], capture_output=True)
            return
        finally:
            if nudged:
                self._nudge_frames(False)
        with open(path, "wb") as f:
            f.write(png)

    def _nudge_frames(self, on):
        """WebKitGTK's WebDriver screenshot waits for the next frame, and an idle Keydeck paints
        none (no blinking caret, nothing animating: issue 11), so the request timed out. While a
        screenshot is taken, an invisible 1 px element animates (alpha 0 to 0.01, Web Animations
        API: no style attribute for the CSP to refuse) to keep frames coming."""
        js = ("let k=document.getElementById('__kd_shot_nudge');"
              "if(!arguments[0]){if(k)k.remove();return true}"
              "if(k)return true;k=document.createElement('div');k.id='__kd_shot_nudge';"
              "k.setAttribute('aria-hidden','true');"
              "Object.assign(k.style,{position:'fixed',left:'0',top:'0',width:'1px',height:'1px',"
              "pointerEvents:'none',zIndex:'2147483647'});document.body.appendChild(k);"
              "k.animate([{backgroundColor:'rgba(0,0,0,0)'},{backgroundColor:'rgba(0,0,0,0.01)'}],"
              "{duration:200,iterations:Infinity});return true")
        try:
            return bool(self.script(js, on))
        except (TimeoutError, OSError, WebDriverError):
            return False

    def wait_until(self, cond, timeout=10, what="condition"):
        deadline = time.time() + timeout
        while True:
            try:
                v = cond()
                if v:
                    return v
            except WebDriverError:
                pass
            if time.time() > deadline:
                raise WebDriverError(f"timed out waiting for {what}")
            time.sleep(0.1)

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# WebDriver key codes
ENTER, TAB, ESCAPE, CONTROL, SHIFT = "\ue007", "\ue004", "\ue00c", "\ue009", "\ue008"
BACKSPACE = "\ue003"
ARROW_LEFT, ARROW_UP, ARROW_RIGHT, ARROW_DOWN = "\ue012", "\ue013", "\ue014", "\ue015"
