//! Process hardening both front ends apply first thing: no core dumps. A crash dump of a process
//! holding an unlocked vault would write the vault key and decrypted records to disk in clear.
//! On Linux the process is also made non-dumpable (PR_SET_DUMPABLE 0), which additionally keeps
//! other processes of the same user from attaching a debugger or reading /proc/PID/mem.

/// Sets RLIMIT_CORE to 0 (soft and hard) and, on Linux, PR_SET_DUMPABLE to 0. Returns what could
/// not be done, for a warning; nothing here is fatal.
pub fn disable_core_dumps() -> Vec<String> {
    #[allow(unused_mut)]
    let mut problems = Vec::new();
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let zero = Rlimit {
            current: Some(0),
            maximum: Some(0),
        };
        if let Err(e) = setrlimit(Resource::Core, zero) {
            problems.push(format!("could not set the core-dump size limit to 0: {e}"));
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
            problems.push(format!("could not mark the process non-dumpable: {e}"));
        }
    }
    problems
}

/// Whether core dumps are off for this process (for tests and diagnostics).
pub fn core_dumps_disabled() -> bool {
    #[cfg(unix)]
    {
        use rustix::process::{getrlimit, Resource};
        let limit = getrlimit(Resource::Core);
        let no_core = limit.current == Some(0);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use rustix::process::{dumpable_behavior, DumpableBehavior};
            no_core && matches!(dumpable_behavior(), Ok(DumpableBehavior::NotDumpable))
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            no_core
        }
    }
    #[cfg(not(unix))]
    {
        false
    }
}
