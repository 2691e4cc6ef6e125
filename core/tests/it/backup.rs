//! Backups: settings in the vault, automatic backups after changes, pruning, failures that
//! never cost a change, and restore.

use std::path::{Path, PathBuf};
use std::time::Duration;

use keydeck_core::{
    backup::default_folder, inspect_backup, list_backups, restore_backup, AutoBackup,
    BackupSettings, Error, LockedVault, SecretText, Vault,
};

use crate::util::{draft, pw, test_kek, TestVault};

const NOW: Duration = Duration::ZERO;

fn names(v: &Vault) -> Vec<String> {
    let mut n: Vec<String> = v.accounts().map(|a| a.name.clone()).collect();
    n.sort();
    n
}

/// Opens a backup as a vault (on a copy, since unlocking writes a log entry).
fn open_copy(backup: &Path, dir: &Path) -> Vault {
    let copy = dir.join(format!(
        "copy-{}.sqlite",
        backup.file_name().unwrap().to_string_lossy()
    ));
    std::fs::copy(backup, &copy).unwrap();
    LockedVault::open(&copy)
        .unwrap()
        .unlock_with_password(&pw())
        .unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn settings_default_and_are_kept_in_the_vault() {
    let (t, mut v) = TestVault::new();
    assert_eq!(v.backup_settings(), BackupSettings::default());
    assert_eq!(v.backup_settings().keep, 10);
    assert!(v.backup_settings().auto);
    assert_eq!(
        v.backup_folder(&v.backup_settings()),
        t.dir.path().join("backups")
    );
    let other = t.dir.path().join("elsewhere");
    v.set_backup_settings(&BackupSettings {
        folder: Some(other.clone()),
        keep: 3,
        auto: false,
    })
    .unwrap();
    assert!(matches!(
        v.set_backup_settings(&BackupSettings {
            keep: 0,
            ..Default::default()
        }),
        Err(Error::InvalidInput { .. })
    ));
    drop(v);
    let v = t.unlock().unwrap();
    assert!(
        v.damaged().is_empty(),
        "the settings record is not an account"
    );
    let s = v.backup_settings();
    assert_eq!((s.folder, s.keep, s.auto), (Some(other), 3, false));
    // Stored encrypted: the folder's name is nowhere in the file.
    let raw = std::fs::read(&t.path).unwrap();
    assert!(!raw.windows(9).any(|w| w == b"elsewhere"));
}

#[test]
fn a_change_makes_a_backup_that_opens_with_the_master_password() {
    let (t, mut v) = TestVault::new();
    // A new, empty vault has nothing to back up.
    assert!(matches!(v.auto_backup_if_due(), AutoBackup::UpToDate));
    v.add_account(draft("GitHub")).unwrap();
    v.add_account(draft("GitLab")).unwrap();
    assert!(v.changed_this_session());
    let AutoBackup::Done(info) = v.auto_backup_if_due() else {
        panic!("no backup was ever made: it is due at once")
    };
    let folder = default_folder(&t.path);
    assert_eq!(info.path.parent().unwrap(), folder);
    let name = info
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("keydeck-backup-") && name.ends_with("Z.sqlite"),
        "{name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&info.path), 0o600);
        assert_eq!(mode(&folder), 0o700);
    }
    assert_eq!(list_backups(&folder).unwrap(), vec![info.clone()]);

    // Nothing changed since: up to date. A change within the minute waits.
    assert!(matches!(v.auto_backup_if_due(), AutoBackup::UpToDate));
    assert!(!v.backup_status().pending);
    v.add_account(draft("Gitea")).unwrap();
    assert!(v.backup_status().pending);
    assert!(matches!(
        v.auto_backup_if_due(),
        AutoBackup::Pending {
            last_error: None,
            ..
        }
    ));
    assert_eq!(list_backups(&folder).unwrap().len(), 1);
    let AutoBackup::Done(second) = v.auto_backup_if_due_after(NOW) else {
        panic!("due once the interval has passed")
    };
    assert_eq!(list_backups(&folder).unwrap().len(), 2);
    let st = v.backup_status();
    assert_eq!(st.last_ok_file.as_deref(), Some(second.path.as_path()));
    assert!(!st.pending && st.last_error.is_none());

    // The backup holds exactly the accounts, under the same vault id and password.
    let s = inspect_backup(&info.path, &pw()).unwrap();
    assert_eq!((s.accounts, s.damaged, s.vault_id), (2, 0, v.vault_id()));
    assert_eq!(s.at, info.at);
    let b = open_copy(&second.path, t.dir.path());
    assert_eq!(names(&b), names(&v));
    assert_eq!(b.vault_id(), v.vault_id());
    // Inspecting wrote nothing beside the backup.
    assert!(files(&folder)
        .iter()
        .all(|f| !f.ends_with("-wal") && !f.ends_with("-shm")));

    // Unlocking again is not a change: no backup is due.
    drop(v);
    let v = t.unlock().unwrap();
    assert!(!v.changed_this_session());
    assert!(!v.backup_status().pending);
}

#[test]
fn a_backup_opens_with_the_keychain_key_too() {
    let (t, mut v) = TestVault::new();
    v.add_account(draft("A")).unwrap();
    v.add_kek_slot("keychain", &test_kek()).unwrap();
    let info = v.backup_now(None).unwrap();
    let copy = t.dir.path().join("copy.sqlite");
    std::fs::copy(&info.path, &copy).unwrap();
    let b = LockedVault::open(&copy)
        .unwrap()
        .unlock_with_kek("keychain", &test_kek())
        .unwrap();
    assert_eq!(names(&b), vec!["A".to_owned()]);
}

#[test]
fn auto_off_makes_no_backup() {
    let (t, mut v) = TestVault::new();
    v.set_backup_settings(&BackupSettings {
        auto: false,
        ..Default::default()
    })
    .unwrap();
    v.add_account(draft("A")).unwrap();
    assert!(matches!(v.auto_backup_if_due_after(NOW), AutoBackup::Off));
    assert!(!default_folder(&t.path).exists());
    // A backup by hand still works.
    v.backup_now(None).unwrap();
    assert_eq!(list_backups(&default_folder(&t.path)).unwrap().len(), 1);
}

#[test]
fn pruning_keeps_the_newest_n_and_only_counts_backups() {
    let (t, mut v) = TestVault::new();
    v.add_account(draft("A")).unwrap();
    v.set_backup_settings(&BackupSettings {
        keep: 3,
        ..Default::default()
    })
    .unwrap();
    let folder = default_folder(&t.path);
    std::fs::create_dir_all(&folder).unwrap();
    // A leftover from a killed run, and files that are not backups.
    let partial = folder.join(".keydeck-20200101T000000Z-deadbeef.sqlite.partial");
    std::fs::write(&partial, b"half a backup").unwrap();
    std::fs::write(folder.join("notes.txt"), b"mine").unwrap();
    std::fs::write(folder.join("keydeck-backup-someday.sqlite"), b"mine too").unwrap();
    let mut made = Vec::new();
    for _ in 0..5 {
        made.push(v.backup_now(None).unwrap());
    }
    let left = list_backups(&folder).unwrap();
    assert_eq!(left.len(), 3);
    // Newest first; the newest three of those made (same second: suffixes -2, -3… order them).
    let newest: Vec<PathBuf> = made.iter().rev().take(3).map(|b| b.path.clone()).collect();
    assert_eq!(
        left.iter().map(|b| b.path.clone()).collect::<Vec<_>>(),
        newest
    );
    assert!(!partial.exists(), "leftover .partial removed");
    let all = files(&folder);
    assert!(all.contains(&"notes.txt".to_owned()));
    assert!(all.contains(&"keydeck-backup-someday.sqlite".to_owned()));
    assert!(all.iter().all(|f| !f.ends_with(".partial")));
}

#[test]
fn a_failing_backup_never_costs_the_change() {
    let (t, mut v) = TestVault::new();
    // A folder on a "drive" that is gone: its parent does not exist.
    let gone = t.dir.path().join("usb").join("backups");
    std::fs::create_dir_all(&gone).unwrap();
    v.set_backup_settings(&BackupSettings {
        folder: Some(gone.clone()),
        ..Default::default()
    })
    .unwrap();
    std::fs::remove_dir_all(t.dir.path().join("usb")).unwrap();
    let id = v.add_account(draft("Kept")).unwrap();
    let out = v.auto_backup_if_due_after(NOW);
    let AutoBackup::Failed(reason) = &out else {
        panic!("{out:?}")
    };
    assert!(reason.contains("usb"), "{reason}");
    assert!(out.warning().unwrap().contains("automatic backup failed"));
    assert!(!t.dir.path().join("usb").exists(), "parents are not made");
    let st = v.backup_status();
    assert!(st.pending && st.last_error.is_some() && st.last_ok_at.is_none());
    // Within the minute it is not retried, but the warning stays.
    let again = v.auto_backup_if_due();
    assert!(matches!(
        again,
        AutoBackup::Pending {
            last_error: Some(_),
            ..
        }
    ));
    assert!(again.warning().is_some());
    drop(v);
    let v = t.unlock().unwrap();
    assert_eq!(v.account(id).unwrap().name, "Kept");
    assert!(
        v.backup_status().last_error.is_some(),
        "the status is in the vault"
    );

    // A "folder" that is a file.
    let (t2, mut v2) = TestVault::new();
    let file = t2.dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    v2.add_account(draft("A")).unwrap();
    assert!(v2.backup_now(Some(&file)).is_err());
    assert_eq!(v2.len(), 1);

    // A read-only folder (meaningless for root, who writes anyway).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = t2.dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        if std::fs::write(ro.join("probe"), b"").is_err() {
            let e = v2.backup_now(Some(&ro)).unwrap_err();
            assert!(e.to_string().contains("ro"), "{e}");
            assert!(list_backups(&ro).unwrap().is_empty());
        } else {
            eprintln!("read-only folder case skipped: running as root");
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

#[test]
fn restore_brings_back_exactly_the_backup_and_keeps_the_replaced_vault() {
    let (t, mut v) = TestVault::new();
    v.add_account(draft("One")).unwrap();
    v.add_account(draft("Two")).unwrap();
    let info = v.backup_now(None).unwrap();
    v.add_account(draft("Three")).unwrap();
    let gone = v.resolve("One").unwrap();
    v.remove_account(gone).unwrap();
    let after = names(&v);
    drop(v);

    let s = inspect_backup(&info.path, &pw()).unwrap();
    assert_eq!(s.accounts, 2);
    let done = restore_backup(&info.path, &t.path, &pw()).unwrap();
    assert_eq!(done.backup.accounts, 2);
    let replaced = done.replaced.clone().unwrap();
    assert!(replaced
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("vault.sqlite.replaced-"));
    let v = t.unlock().unwrap();
    assert_eq!(names(&v), vec!["One".to_owned(), "Two".to_owned()]);
    assert!(v.damaged().is_empty());
    let old = LockedVault::open(&replaced)
        .unwrap()
        .unlock_with_password(&pw())
        .unwrap();
    assert_eq!(names(&old), after);
    // No temp file is left beside the vault.
    assert!(files(t.dir.path()).iter().all(|f| !f.ends_with(".partial")));
    // The backup itself is untouched.
    assert!(inspect_backup(&info.path, &pw()).is_ok());

    // Restoring onto a path with no vault yet (a new machine) works too.
    let fresh = t.dir.path().join("new").join("vault.sqlite");
    let done = restore_backup(&info.path, &fresh, &pw()).unwrap();
    assert!(done.replaced.is_none());
    let n = LockedVault::open(&fresh)
        .unwrap()
        .unlock_with_password(&pw())
        .unwrap();
    assert_eq!(n.len(), 2);
}

#[test]
fn restore_refuses_a_wrong_password_a_non_vault_and_an_open_vault() {
    let (t, mut v) = TestVault::new();
    v.add_account(draft("One")).unwrap();
    let info = v.backup_now(None).unwrap();
    v.add_account(draft("Two")).unwrap();

    // The vault is open (here, in this very process): refused, nothing replaced.
    let e = restore_backup(&info.path, &t.path, &pw()).unwrap_err();
    assert!(matches!(e, Error::Busy(_)), "{e}");
    drop(v);

    let wrong = SecretText::new("not it");
    assert!(matches!(
        inspect_backup(&info.path, &wrong),
        Err(Error::WrongPassword)
    ));
    assert!(matches!(
        restore_backup(&info.path, &t.path, &wrong),
        Err(Error::WrongPassword)
    ));
    let junk = t.dir.path().join("junk.sqlite");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    assert!(matches!(
        inspect_backup(&junk, &pw()),
        Err(Error::NotAVault { .. })
    ));
    assert!(matches!(
        restore_backup(&junk, &t.path, &pw()),
        Err(Error::NotAVault { .. })
    ));
    assert!(restore_backup(&t.path, &t.path, &pw()).is_err());
    // Nothing was replaced and nothing left behind.
    let v = t.unlock().unwrap();
    assert_eq!(v.len(), 2);
    assert!(files(t.dir.path())
        .iter()
        .all(|f| !f.contains(".replaced-") && !f.ends_with(".partial")));
}
