#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of every screen, light and dark, for docs/screenshots/ (and the README).
Drives the real app like test_app.py. Usage: docs_screenshots.py APP_BINARY KEYDECK_CLI"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_app as T  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "screenshots")
URIS = """otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub
otpauth://totp/Northwind%20Bank:jane.doe?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Northwind%20Bank&digits=8&algorithm=SHA256
otpauth://totp/Acme%20Cloud:alice%40example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=Acme%20Cloud
otpauth://totp/Vapor%20Games:player_one?secret=FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW&issuer=Vapor%20Games&encoder=steam
otpauth://hotp/Example%20VPN:alice?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ&issuer=Example%20VPN&counter=3
"""


def save(d, name):
    time.sleep(0.6)
    d.screenshot(os.path.join(OUT, f"{name}.png"))


def main():
    os.makedirs(OUT, exist_ok=True)
    home = tempfile.mkdtemp(prefix="keydeck-docs-")
    env = dict(os.environ, KEYDECK_VAULT=os.path.join(home, "vault.sqlite"), KEYDECK_PASSWORD=T.PASSWORD)
    for theme in ["light", "dark"]:
        a = T.App(f"docs_{theme}", home)
        d = a.d
        first = not os.path.exists(env["KEYDECK_VAULT"])
        if first:
            save(d, f"lock-create-{theme}")
            T.create_vault(a)
            uris = os.path.join(home, "uris.txt")
            open(uris, "w").write(URIS)
            subprocess.run([T.CLI, "import", uris], env=env, check=True, capture_output=True)
            subprocess.run([T.CLI, "edit", "GitHub", "--generate-password", "--url", "https://github.com/login", "--tag", "work"], env=env, check=True, capture_output=True)
            subprocess.run([T.CLI, "recovery", "add", "GitHub"], env=env, input="\n".join(f"{i}. gh{i:02d}-{i * 7919 % 10000:04d}" for i in range(1, 11)), text=True, check=True, capture_output=True)
            subprocess.run([T.CLI, "recovery", "use", "GitHub", "gh01-7919"], env=env, check=True, capture_output=True)
            d.click(d.find("lock-button"))
        save(d, f"lock-unlock-{theme}")
        T.unlock(a)
        d.find("account-card", timeout=20)
        # Theme through the Settings page, as a user would.
        d.click(d.find("settings-button"))
        sel = d.find("settings-theme")
        d.script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
                 {"element-6066-11e4-a52e-4f735466cecf": sel}, theme)
        save(d, f"settings-{theme}")
        d.click(d.find_css("button.back"))
        d.find("account-card")
        save(d, f"accounts-{theme}")
        T.open_account(a, "GitHub")
        T.open_mfa(a)
        save(d, f"details-{theme}")
        d.click(d.find("tab-activity"))
        save(d, f"activity-{theme}")
        d.click(d.find("tab-general"))
        T.back_to_accounts(a)
        T.add_account(a, "Docs Example")
        T.open_account(a, "Docs Example")
        T.open_mfa(a)
        d.click(d.find("set-as-mfa"))
        save(d, f"save-code-empty-{theme}")
        d.type(d.find("secret-key"), "ABCD1FGH")
        d.click(d.find("save-code"))
        d.find("secret-error")
        save(d, f"save-code-invalid-{theme}")
        d.clear(d.find("secret-key"))
        d.type(d.find("secret-key"), "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP")
        d.click(d.find("save-code"))
        d.find("saved-code")
        save(d, f"save-code-saved-{theme}")
        d.click(d.find("done"))
        d.find("success-message")
        save(d, f"mfa-on-{theme}")
        d.click(d.find("account-remove"))
        d.click(d.find("account-remove-confirm"))
        d.find("add-account")
        d.click(d.find("settings-button"))
        d.click(d.find("trash-open"))
        d.find("trash-row")
        save(d, f"trash-{theme}")
        a.quit()
    print(f"screenshots in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
