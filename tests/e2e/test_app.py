#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end tests of the real Keydeck app binary, driven through tauri-driver and
WebKitWebDriver under Xvfb, each against a fresh vault in a temp dir.

Usage: test_app.py APP_BINARY KEYDECK_CLI   (run by `make test` under xvfb-run)
Screenshots of each step go to tests/e2e/artifacts/."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Driver, ENTER, TAB, CONTROL  # noqa: E402

APP, CLI = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
# The app's process name as pgrep sees it (15 characters at most). Match the name, not the command
# line: the test runner's own command line contains the app's path.
PROCESS = os.path.basename(APP)[:15]
HERE = os.path.dirname(os.path.abspath(__file__))
ART = os.path.join(HERE, "artifacts")
FIX = os.path.join(HERE, "..", "fixtures")
PASSWORD = "e2e master passphrase 7!"
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


class App:
    """A fresh vault and config dir, and the app started on them."""

    def __init__(self, name, home=None, env=None):
        self.name = name
        self.home = home or tempfile.mkdtemp(prefix="keydeck-e2e-")
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.env.update({
            "KEYDECK_VAULT": os.path.join(self.home, "vault.sqlite"),
            "KEYDECK_CONFIG_DIR": os.path.join(self.home, "config"),
            "XDG_DATA_HOME": os.path.join(self.home, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.home, "xdgconfig"),
        })
        self.d = Driver(APP, self.env)
        self.step = 0

    def shot(self, label):
        self.step += 1
        self.d.screenshot(os.path.join(ART, f"{self.name}_{self.step:02d}_{label}.png"))

    def cli(self, *args):
        env = dict(self.env, KEYDECK_PASSWORD=PASSWORD)
        return subprocess.run([CLI, *args], env=env, capture_output=True, text=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.quit()

    def quit(self):
        try:
            self.shot("last")
        except Exception:
            pass
        self.d.quit()
        # The app is single-instance: the next test's app must not find this one still running.
        deadline = time.time() + 10
        while subprocess.run(["pgrep", "-x", PROCESS], capture_output=True).returncode == 0:
            if time.time() > deadline:
                subprocess.run(["pkill", "-9", "-x", PROCESS])
                break
            time.sleep(0.2)


def create_vault(a):
    d = a.d
    d.type(d.find("lock-password"), PASSWORD)
    d.type(d.find("lock-password-confirm"), PASSWORD)
    a.shot("create")
    d.click(d.find("lock-submit"))
    d.find("add-account", timeout=30)


def unlock(a, password=PASSWORD):
    d = a.d
    el = d.find("lock-password", timeout=20)
    d.clear(el)
    d.type(el, password)
    d.click(d.find("lock-submit"))


def add_account(a, name, username="alice@example.com"):
    d = a.d
    d.click(d.find("add-account"))
    d.type(d.find("add-name"), name)
    d.type(d.find("add-username"), username)
    d.click(d.find("add-submit"))
    d.wait_until(lambda: any(name in (d.attr(c, "aria-label") or "") for c in d.find_all("account-card")), what=f"card {name}")


def open_account(a, name):
    d = a.d

    def card_id():
        for c in d.find_all("account-card"):
            if name in (d.attr(c, "aria-label") or ""):
                return d.attr(c, "data-account-id")
        return None

    cid = d.wait_until(card_id, timeout=20, what=f"card {name}")
    d.click(d.find_css(f'[data-testid="card-open"][data-account-id="{cid}"]'))
    d.find("tab-general")


def back_to_accounts(a):
    """The details page's "Accounts" back button (Esc does the same)."""
    d = a.d
    d.click(d.find_css("button.back"))
    d.find("add-account")


def open_mfa(a):
    d = a.d
    t = d.find("mfa-section-toggle")
    if d.attr(t, "aria-expanded") != "true":
        d.click(t)


def gtk_file_dialog(a, title, path, save=None):
    """Answers the real GTK file dialog: no window manager under Xvfb, so give it the keyboard
    focus, then type the path into its location bar as a person would (Ctrl+L, path, Enter)."""
    d = a.d
    win = d.wait_until(lambda: subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                                              capture_output=True, text=True).stdout.split(), timeout=15, what=title)[-1]
    subprocess.run(["xdotool", "windowactivate", "--sync", win], capture_output=True)
    subprocess.run(["xdotool", "windowfocus", "--sync", win], check=True)
    time.sleep(0.3)
    subprocess.run(["import", "-window", "root", os.path.join(ART, f"{a.name}_{title.replace(' ', '_')}.png")])
    if not (save if save is not None else title == "Save File"):
        subprocess.run(["xdotool", "key", "--window", win, "ctrl+l"], check=True)
        time.sleep(0.3)
    else:
        subprocess.run(["xdotool", "key", "--window", win, "ctrl+a"], check=True)
    subprocess.run(["xdotool", "type", "--delay", "5", path], check=True)
    time.sleep(0.3)
    subprocess.run(["xdotool", "key", "Return"], check=True)


def start_save_code(a, name, username="alice@example.com"):
    """A new account, its details, the MFA section open, and the Save Code dialog up."""
    add_account(a, name, username)
    open_account(a, name)
    open_mfa(a)
    a.d.click(a.d.find("set-as-mfa"))


def cli_code(a, secret=SECRET, extra=()):
    r = subprocess.run([CLI, "code", "--secret", secret, *extra], capture_output=True, text=True)
    return r.stdout.strip()


def equals_cli_code(a, shown, secret=SECRET):
    """The app's code equals the CLI's for the same moment (either side of a rollover)."""
    before = cli_code(a, secret, ["--at", str(int(time.time()) - 1)])
    now = cli_code(a, secret)
    return shown in (before, now)


def saved_code(a):
    """The code the Save Code dialog shows once saved, waiting until it is painted (on a slow
    machine the element can exist a moment before its digits are rendered)."""
    d = a.d
    return d.wait_until(lambda: d.exists("saved-code") and d.text(d.find("saved-code")).replace(" ", ""),
                        timeout=20, what="saved code")


# ---- the tests -------------------------------------------------------------------------------

def test_first_run_lock_unlock():
    with App("01_first_run") as a:
        d = a.d
        create_vault(a)
        d.find("empty-state")
        a.shot("empty")
        d.click(d.find("lock-button"))
        unlock(a, "not the password")
        err = d.find("lock-error")
        assert "rong password" in d.text(err), d.text(err)
        assert d.prop(d.find("lock-password"), "value") == "not the password", "the field keeps its value"
        a.shot("wrong_password")
        unlock(a)
        d.find("empty-state", timeout=20)
        a.shot("unlocked")


def test_set_as_mfa_with_secret():
    with App("02_save_code") as a:
        d = a.d
        create_vault(a)
        add_account(a, "GitHub", "octo")
        open_account(a, "GitHub")
        open_mfa(a)
        a.shot("details")
        d.click(d.find("set-as-mfa"))
        d.type(d.find("secret-key"), "gezd gnbv gy3t qojq gezd gnbv gy3t qojq")
        a.shot("secret_typed")
        d.click(d.find("save-code"))
        shown = saved_code(a)
        assert equals_cli_code(a, shown), (shown, cli_code(a))
        a.shot("code_saved")
        d.click(d.find("done"))
        msg = d.find("success-message")
        assert "GitHub" in d.text(msg), d.text(msg)
        a.shot("success")
        back_to_accounts(a)
        card_code = d.wait_until(lambda: d.text(d.find("card-code")).replace(" ", ""), what="card code")
        assert equals_cli_code(a, card_code), card_code
        a.shot("card_code")


def test_uri_and_qr_from_file():
    with App("03_uri_and_qr") as a:
        d = a.d
        create_vault(a)
        start_save_code(a, "ACME")
        uri = f"otpauth://totp/ACME:alice?secret={SECRET}&issuer=ACME&digits=8&algorithm=SHA256"
        d.type(d.find("secret-key"), uri)
        d.click(d.find("save-code"))
        shown = saved_code(a)
        assert len(shown) == 8, shown
        expected = a.cli("code", "ACME", "--json")
        assert shown in expected.stdout, (shown, expected.stdout)
        d.click(d.find("done"))
        a.shot("uri_saved")
        back_to_accounts(a)
        # A QR code from an image file, through the real file picker (GTK, driven by xdotool).
        start_save_code(a, "Acme Cloud")
        d.click(d.find("scan-file"))
        shot = os.path.abspath(os.path.join(FIX, "screenshots", "light_1x_1920x1080_single.png"))
        gtk_file_dialog(a, "Open File", shot)
        # The dialog lists what the image held; saving the one found is the user's call.
        d.wait_until(lambda: "Found this authenticator" in d.text(d.find_css('[role="dialog"]')), timeout=20, what="scan result")
        a.shot("scan_found")
        d.click(d.find("save-code"))
        saved = saved_code(a)
        assert len(saved) == 6, saved
        a.shot("qr_saved")


def test_emergency_controls_survive_restart():
    with App("04_recovery") as a:
        home = a.home
        d = a.d
        create_vault(a)
        add_account(a, "Bank")
        open_account(a, "Bank")
        codes = "\n".join(f"{i}. code-{i:04d}-x" for i in range(1, 11))
        d.type(d.find("recovery-input"), "Your backup codes:\n" + codes)
        d.click(d.find("recovery-save"))
        d.wait_until(lambda: "10" in d.text(d.find("recovery-remaining")), what="10 codes")
        for _ in range(2):
            d.click(d.find("recovery-mark-used"))
            time.sleep(0.5)
        d.wait_until(lambda: "8" in d.text(d.find("recovery-remaining")), what="8 left")
        a.shot("marked")
    with App("04_recovery_restart", home) as b:
        d = b.d
        unlock(b)
        open_account(b, "Bank")
        rem = d.text(d.find("recovery-remaining"))
        assert "8" in rem, rem
        b.shot("after_restart")


def clipboard():
    return subprocess.run(["xclip", "-selection", "clipboard", "-o"], capture_output=True, text=True).stdout.strip()


def test_copy_clears_clipboard():
    with App("05_clipboard") as a:
        d = a.d
        create_vault(a)
        # Clear after 5 s instead of 30, through the Settings page.
        d.click(d.find("settings-button"))
        el = d.find("settings-clipboard")
        d.clear(el)
        d.type(el, "5" + TAB)
        d.wait_until(lambda: os.path.exists(os.path.join(a.env["KEYDECK_CONFIG_DIR"], "settings.json"))
                     and '"clipboardClearSeconds": 5' in open(os.path.join(a.env["KEYDECK_CONFIG_DIR"], "settings.json")).read(),
                     what="settings saved")
        a.shot("settings")
        d.click(d.find_css("button.back"))
        start_save_code(a, "Mail")
        d.type(d.find("secret-key"), SECRET)
        d.click(d.find("save-code"))
        d.click(d.find("done"))
        d.find("success-message")
        back_to_accounts(a)
        d.click(d.find("card-code"))
        d.wait_until(lambda: any("Copied" in d.text(t) for t in d.find_all("toast")), what="Copied toast")
        a.shot("copied")
        clip = clipboard()
        assert clip.isdigit() and len(clip) == 6, clip
        assert equals_cli_code(a, clip), clip
        # Marked for clipboard-history managers (Klipper, GPaste, …) to skip.
        targets = subprocess.run(["xclip", "-selection", "clipboard", "-t", "TARGETS", "-o"],
                                 capture_output=True, text=True).stdout.split()
        assert "x-kde-passwordManagerHint" in targets, targets
        hint = subprocess.run(["xclip", "-selection", "clipboard", "-t", "x-kde-passwordManagerHint", "-o"],
                              capture_output=True, text=True).stdout
        assert hint == "secret", hint
        d.wait_until(lambda: clipboard() == "", timeout=12, what="clipboard cleared")
        # Copy again, then put something else on the clipboard: it is left alone.
        d.click(d.find("card-code"))
        d.wait_until(lambda: clipboard().isdigit(), what="copied again")
        subprocess.run(["xclip", "-selection", "clipboard", "-i"], input="mine", text=True, check=True)
        time.sleep(7)
        assert clipboard() == "mine", clipboard()


def test_keyboard_only_save_code():
    with App("06_keyboard") as a:
        d = a.d
        create_vault(a)
        add_account(a, "Keys")
        open_account(a, "Keys")
        open_mfa(a)
        btn = d.find("set-as-mfa")
        d.script("arguments[0].focus()", {"element-6066-11e4-a52e-4f735466cecf": btn})
        d.chord(ENTER)
        d.find("secret-key")
        d.keys(SECRET)
        d.chord(ENTER)
        shown = saved_code(a)
        assert equals_cli_code(a, shown), shown
        d.wait_until(lambda: d.attr(d.active(), "data-testid") == "done", what="focus on Done")
        d.chord(ENTER)
        d.find("success-message")
        a.shot("keyboard_done")


def test_invalid_secret_explains():
    with App("07_invalid") as a:
        d = a.d
        create_vault(a)
        start_save_code(a, "Broken")
        d.type(d.find("secret-key"), "ABCD1FGH")
        d.click(d.find("save-code"))
        err = d.wait_until(lambda: d.text(d.find("secret-error")), what="the error text")
        assert "it should contain only the letters A–Z and digits 2–7, but character 5 is '1'" in err, err
        assert not d.exists("saved-code")
        a.shot("invalid")
        shown = a.cli("show", "Broken", "--json")
        assert '"mfa": null' in shown.stdout, shown.stdout


def testdata(rel):
    """A file of the shared public test data, read in place (never copied into the repository)."""
    root = os.environ.get("KEYDECK_TESTDATA") or os.path.join(HERE, "..", "..", "..", "shared", "testdata")
    path = os.path.abspath(os.path.join(root, rel))
    assert os.path.isfile(path), f"the shared test data is missing: {path} (set KEYDECK_TESTDATA)"
    return path


def toast_with(a, text, timeout=15):
    d = a.d
    return d.wait_until(lambda: next((d.text(t) for t in d.find_all("toast") if text in d.text(t)), None),
                        timeout=timeout, what=f"toast '{text}'")


def test_import_encrypted_aegis_and_export_kdbx():
    """Issue 10: an encrypted Aegis backup comes in through Settings → Import (wrong password
    first: the prompt stays), and everything goes out as a KeePass database that keepassxc-cli
    opens with the same TOTP codes Keydeck shows."""
    if not shutil.which("keepassxc-cli"):
        raise AssertionError("keepassxc-cli is missing: install the Debian package keepassxc")
    with App("08_import_export") as a:
        d = a.d
        create_vault(a)
        # The empty accounts screen offers the import too.
        d.find("empty-import")
        d.click(d.find("settings-button"))
        d.click(d.find("import-start"))
        d.click(d.find("import-choose"))
        # Aegis's own test file (DatabaseImporterTest.java: password "test", 7 entries).
        gtk_file_dialog(a, "Import from another app", testdata("aegis/importers/aegis_encrypted.json"))
        pw = d.find("import-password", timeout=20)
        assert "Aegis backup, encrypted" in d.text(d.find("import-dialog")), d.text(d.find("import-dialog"))
        d.type(pw, "not the password")
        d.click(d.find("import-read"))
        err = d.wait_until(lambda: d.exists("import-password-error") and d.text(d.find("import-password-error")),
                           timeout=20, what="wrong password message")
        assert "wrong password" in err.lower(), err
        a.shot("import_wrong_password")
        d.clear(d.find("import-password"))
        d.type(d.find("import-password"), "test")
        d.click(d.find("import-read"))
        summary = d.wait_until(lambda: d.exists("import-preview") and d.text(d.find("import-summary")),
                               timeout=20, what="import preview")
        assert "7" in summary, summary
        a.shot("import_preview")
        d.click(d.find("import-confirm"))
        toast_with(a, "Imported 7")
        listed = json.loads(a.cli("list", "--json").stdout)
        assert len(listed) == 7, listed
        deno = next(x for x in listed if x["issuer"] == "Deno")
        # Export: the master password is asked even though the vault is open.
        d.wait_until(lambda: not d.find_all("toast"), timeout=20, what="toasts gone")
        d.click(d.find("export-start"))
        d.click(d.find("export-format-kdbx"))
        d.type(d.find("export-master"), PASSWORD)
        d.type(d.find("export-file-password"), "kdbx file pass 9")
        d.type(d.find("export-file-repeat"), "kdbx file pass 9")
        a.shot("export_dialog")
        out = os.path.join(a.home, "export.kdbx")
        d.click(d.find("export-save"))
        gtk_file_dialog(a, "Export to file", out, save=True)
        d.wait_until(lambda: os.path.exists(out), timeout=30, what="export file")
        toast_with(a, "Exported 7", timeout=30)
        assert oct(os.stat(out).st_mode & 0o777) == "0o600", oct(os.stat(out).st_mode)
        title = deno["name"]
        kp = subprocess.run(["keepassxc-cli", "show", "-q", "-t", out, title], input="kdbx file pass 9\n",
                            capture_output=True, text=True)
        assert kp.returncode == 0, kp.stderr
        shown = kp.stdout.strip().splitlines()[-1]
        mine = json.loads(a.cli("code", title, "--json").stdout)["code"]
        before = json.loads(a.cli("code", title, "--json", "--at", str(int(time.time()) - 2)).stdout)["code"]
        assert shown in (mine, before), (shown, mine, before)
        a.shot("exported")


def backups_in(folder):
    if not os.path.isdir(folder):
        return []
    return sorted(f for f in os.listdir(folder) if f.startswith("keydeck-backup-") and f.endswith(".sqlite"))


def test_backups_and_restore():
    """Issue 10: a change is backed up by itself within the minute; Settings → Backups lists
    the backups; the lock screen restores one (its date and account count shown first), and the
    replaced vault is kept beside."""
    with App("09_backups", env={"KEYDECK_BACKUP_MIN_INTERVAL": "2"}) as a:
        d = a.d
        folder = os.path.join(a.home, "backups")
        create_vault(a)
        add_account(a, "First Bank")
        first = d.wait_until(lambda: backups_in(folder), timeout=60, what="first automatic backup")[0]
        add_account(a, "Second Shop")
        d.wait_until(lambda: len(backups_in(folder)) >= 2, timeout=60, what="second automatic backup")
        d.click(d.find("settings-button"))
        listed = d.wait_until(lambda: d.exists("backup-list") and d.text(d.find("backup-list")),
                              timeout=15, what="backup list")
        a.shot("backup_settings")
        rows = d.script("return document.querySelectorAll('[data-testid=\"backup-list\"] li').length")
        assert rows >= 2, listed
        # Lock, and restore the first backup from the lock screen.
        d.click(d.find("lock-button"))
        d.click(d.find("lock-restore", timeout=20))
        d.click(d.find("restore-choose"))
        gtk_file_dialog(a, "Restore from a backup", os.path.join(folder, first))
        pw = d.find("restore-password")
        d.type(pw, "wrong one")
        d.click(d.find("restore-open"))
        d.wait_until(lambda: d.exists("restore-password-error"), timeout=20, what="wrong password")
        d.clear(d.find("restore-password"))
        d.type(d.find("restore-password"), PASSWORD)
        d.click(d.find("restore-open"))
        info = d.wait_until(lambda: d.exists("restore-info") and d.text(d.find("restore-info")), timeout=20,
                            what="backup summary")
        assert "1 account" in info, info
        a.shot("restore_info")
        d.click(d.find("restore-apply"))
        msg = d.wait_until(lambda: d.exists("lock-message") and d.text(d.find("lock-message")), timeout=20,
                           what="restored message")
        assert "Restored" in msg, msg
        a.shot("restored")
        unlock(a)
        d.wait_until(lambda: len(d.find_all("account-card")) == 1, timeout=20, what="one card after restore")
        names = [x["name"] for x in json.loads(a.cli("list", "--json").stdout)]
        assert names == ["First Bank"], names
        replaced = [f for f in os.listdir(a.home) if f.startswith("vault.sqlite.replaced-")]
        assert replaced, os.listdir(a.home)


# ---- issue 6: keychain unlock, auto-lock, clipboard hygiene, no core dumps ----------------------

def keychain_entry(a):
    """The app's key in the real Secret Service (service keydeck, user = vault id), or None."""
    vid = json.loads(a.cli("keychain", "status", "--json").stdout)["vault_id"]
    r = subprocess.run(["secret-tool", "lookup", "service", "keydeck", "username", vid], capture_output=True)
    return vid, (r.stdout if r.returncode == 0 else None)


def invoke(a, cmd):
    """Calls one of the app's commands from the page, as the UI would, and returns its answer."""
    return a.d.script_async(
        "const [cmd, done] = arguments;"
        "window.__TAURI_INTERNALS__.invoke(cmd).then(done, (e) => done({error: e}));", cmd)


def test_keychain_unlock():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise AssertionError("no D-Bus session: run the e2e tests through tests/keyring/with-keyring.sh")
    with App("07_keychain") as a:
        home = a.home
        d = a.d
        create_vault(a)
        add_account(a, "Mail")
        d.click(d.find("settings-button"))
        d.wait_until(lambda: d.text(d.find("keychain-state")) == "Off", what="keychain off")
        d.click(d.find("keychain-toggle"))
        d.wait_until(lambda: "On — Keydeck unlocks" in d.text(d.find("keychain-state")), timeout=20, what="keychain on")
        a.shot("keychain_on")
        vid, key = keychain_entry(a)
        assert key is not None and len(key) == 32, key
    # Restart: the app opens from the keychain, no password typed.
    with App("07_keychain_restart", home) as b:
        d = b.d
        d.wait_until(lambda: any("Mail" in (d.attr(c, "aria-label") or "") for c in d.find_all("account-card")),
                     timeout=30, what="cards without a password")
        b.shot("unlocked_by_keychain")
        # After a lock it waits for a click.
        d.chord(CONTROL, "l")
        d.find("keychain-unlock", timeout=10)
        b.shot("locked_with_keychain_button")
        d.click(d.find("keychain-unlock"))
        d.find("add-account", timeout=20)
        # The entry deleted behind the app's back: one clear line, and the password still works.
        assert subprocess.run(["secret-tool", "clear", "service", "keydeck", "username", vid]).returncode == 0
        d.chord(CONTROL, "l")
        d.click(d.find("keychain-unlock", timeout=10))
        err = d.find("keychain-error", timeout=20)
        assert "holds no key for this vault" in d.text(err), d.text(err)
        b.shot("keychain_entry_missing")
        unlock(b)
        d.find("add-account", timeout=30)
        # Turning it off removes the slot (status) and leaves the password path alone.
        d.click(d.find("settings-button"))
        d.wait_until(lambda: "not working now" in d.text(d.find("keychain-state")), timeout=20, what="broken state")
        d.click(d.find("keychain-toggle"))
        d.wait_until(lambda: d.text(d.find("keychain-state")) == "Off", timeout=20, what="keychain off again")
        assert keychain_entry(b)[1] is None


def assert_locked(a, account):
    """Rust holds no key (vault_status) and nothing of `account` is left in the page."""
    status = invoke(a, "vault_status")
    assert status["unlocked"] is False, status
    body = a.d.script("return document.body.innerText")
    assert account not in body, body


def test_idle_auto_lock():
    with App("08_auto_lock", env={"KEYDECK_AUTO_LOCK_SECONDS": "4"}) as a:
        d = a.d
        create_vault(a)
        add_account(a, "Idle Account")
        a.shot("before_idle")
        # Nothing touched for longer than the limit: the lock screen comes back by itself.
        d.find("lock-password", timeout=20)
        a.shot("auto_locked")
        assert_locked(a, "Idle Account")
        err = invoke(a, "accounts_list")
        assert err.get("error", {}).get("kind") == "locked", err


def test_screen_lock_locks():
    """The desktop's screensaver coming on (screen lock) locks the app at once."""
    with App("10_screen_lock") as a:
        d = a.d
        create_vault(a)
        add_account(a, "Screen Account")
        r = subprocess.run(["dbus-send", "--session", "--type=signal", "/org/freedesktop/ScreenSaver",
                            "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        d.find("lock-password", timeout=10)
        assert_locked(a, "Screen Account")
        a.shot("locked_by_screensaver")


def test_no_core_dumps():
    with App("09_core_dumps"):
        pid = subprocess.run(["pgrep", "-n", "-x", PROCESS], capture_output=True, text=True).stdout.split()[0]
        limits = open(f"/proc/{pid}/limits").read()
        line = next(l for l in limits.splitlines() if l.startswith("Max core file size"))
        assert line.split()[4:6] == ["0", "0"], line


def test_recovery_codes_masked_undo_and_print():
    """Issue 11: no character of a code on the page until revealed; Mark used → Undo; Print saves
    the PDF emergency kit through the real GTK save dialog and says where."""
    with App("11_recovery") as a:
        d = a.d
        create_vault(a)
        add_account(a, "Vaultbank")
        open_account(a, "Vaultbank")
        codes = [f"q{i}z7-w{i}k9-m{i}p4" for i in range(1, 6)]
        d.type(d.find("recovery-input"), "\n".join(codes))
        d.click(d.find("recovery-save"))
        d.wait_until(lambda: "5 of 5" in d.text(d.find("recovery-remaining")), what="5 codes")

        def panel_html():
            return d.script("return document.querySelector('[aria-labelledby=\"emergency-heading\"]').outerHTML")

        html = d.script("return document.documentElement.outerHTML")
        for c in codes:
            for part in [c, *c.split("-")]:
                assert part not in html, f"{part} is in the page while masked"
        a.shot("masked")

        # Mark the first one used, then Undo from the toast.
        d.click(d.find("recovery-mark-used"))
        toast_with(a, "Code 1 marked used")
        d.wait_until(lambda: "4 of 5" in d.text(d.find("recovery-remaining")), what="4 left")
        items = d.find_all("recovery-item")
        assert d.attr(items[-1], "data-index") == "0" and "used" in d.attr(items[-1], "class"), panel_html()
        a.shot("marked_used_toast")
        assert d.script("return document.activeElement !== document.body")
        d.click(d.find("toast-action"))
        d.wait_until(lambda: "5 of 5" in d.text(d.find("recovery-remaining")), what="unused again")
        assert d.attr(d.find_all("recovery-item")[0], "data-index") == "0"
        log = a.cli("log")
        assert "recovery code marked unused again" in log.stdout, log.stdout
        listed = a.cli("recovery", "list", "Vaultbank").stdout
        assert "5 unused, 0 used" in listed and all(c not in listed for c in codes), listed

        # Reveal all asks for the master password; then the unused codes are shown.
        d.click(d.find("recovery-reveal-all"))
        d.type(d.find("reauth-password"), PASSWORD)
        d.click(d.find("reauth-confirm"))
        d.wait_until(lambda: codes[2] in d.text(d.find("recovery-item")) or codes[2] in panel_html(), what="revealed")
        a.shot("revealed")
        d.click(d.find("recovery-hide-all"))
        d.wait_until(lambda: codes[2] not in panel_html(), what="hidden again")

        # Print: the GTK save dialog, the master password, then a visible confirmation.
        out = os.path.join(a.home, "kit.pdf")
        d.click(d.find("recovery-print"))
        gtk_file_dialog(a, "Save emergency kit", out, save=True)
        d.type(d.find("reauth-password", timeout=20), PASSWORD)
        d.click(d.find("reauth-confirm"))
        saved = d.wait_until(lambda: d.exists("recovery-kit-saved") and d.text(d.find("recovery-kit-saved")),
                             timeout=20, what="saved message")
        assert "Saved the emergency kit to" in saved and "kit.pdf" in saved, saved
        a.shot("kit_saved")
        assert os.path.isfile(out), out
        text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout
        assert "Vaultbank" in text, text[:500]


def test_one_strength_model():
    """Issue 11: Add account rates 'password123' as the core does, and the checklist agrees."""
    with App("11_strength") as a:
        d = a.d
        create_vault(a)
        d.click(d.find("add-account"))
        d.type(d.find("add-name"), "Weakling")
        d.type(d.find("add-username"), "bob@example.com")
        d.click(d.find_css('input[name="pw-mode"][value="type"]'))
        d.type(d.find("add-password"), "password123")
        label = d.wait_until(lambda: d.exists("strength-label") and d.text(d.find("strength-label")), what="meter label")
        assert label.rstrip(".") in ("Weak", "Very weak"), label
        hint = d.text(d.find("strength-hint"))
        assert "common" in hint.lower(), hint
        a.shot("meter")
        d.click(d.find("add-submit"))
        open_account(a, "Weakling")
        checklist = d.text(d.find_css('[aria-labelledby="checklist-heading"]', timeout=20))
        assert f"rated {label.rstrip('.').lower()}" in checklist, checklist
        a.shot("checklist")


TESTS = [v for k, v in sorted(globals().items()) if k.startswith("test_")]


def main():
    shutil.rmtree(ART, ignore_errors=True)
    os.makedirs(ART)
    only = os.environ.get("KEYDECK_E2E_ONLY")
    passed = failed = 0
    for t in TESTS:
        if only and only not in t.__name__:
            continue
        start = time.time()
        try:
            t()
            passed += 1
            print(f"ok   {t.__name__} ({time.time() - start:.1f} s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {t.__name__}", flush=True)
            traceback.print_exc()
    print(f"e2e: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
