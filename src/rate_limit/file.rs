//! `file:PATH`: one sliding log shared by every process of the host that names the same file,
//! coordinated with `flock(2)`. No daemon: the kernel drops a lock when its holder dies, even by
//! `kill -9`, so a crashed process never blocks the others. Times are the system clock's
//! milliseconds, the one clock every process reads alike.

use super::window::SlidingLog;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a call waits for the file's lock (held by another process for microseconds at a
/// time) before the store counts as failing.
const LOCK_PATIENCE: Duration = Duration::from_secs(2);

/// The file store: the path and the open file.
#[derive(Debug)]
pub(crate) struct FileStore {
    path: PathBuf,
    file: File,
}

impl FileStore {
    /// Opens (creating, readable by this user only) the shared file.
    pub(crate) fn open(path: PathBuf) -> io::Result<FileStore> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path)?;
        Ok(FileStore { path, file })
    }

    /// The path, for messages.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Runs `f` on the shared log with the file locked, writing the log back when `f` changed it.
    fn with_log<R>(&self, f: impl FnOnce(&mut SlidingLog, u64) -> R) -> io::Result<R> {
        let _lock = Lock::take(&self.file)?;
        let mut file = &self.file;
        let mut bytes = Vec::with_capacity(512);
        file.seek(SeekFrom::Start(0))?;
        file.read_to_end(&mut bytes)?;
        let mut log = SlidingLog::from_bytes(&bytes);
        let before = log.clone();
        let result = f(&mut log, now_ms());
        if log != before {
            let bytes = log.to_bytes();
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&bytes)?;
            file.set_len(bytes.len() as u64)?;
        }
        Ok(result)
    }

    /// Takes a slot: `Ok(Ok(()))`, or `Ok(Err(ms))` to wait.
    pub(crate) fn take(&self, limit: u32) -> io::Result<Result<(), u64>> {
        self.with_log(|log, now| log.take(now, limit))
    }

    /// Blocks every sharer for `wait` from now.
    pub(crate) fn block_for(&self, wait: Duration) -> io::Result<()> {
        self.with_log(|log, now| log.block_until(now + wait.as_millis() as u64))
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// An exclusive `flock` on the file, released when dropped (or by the kernel if the process
/// dies).
struct Lock<'a>(&'a File);

impl<'a> Lock<'a> {
    #[cfg(unix)]
    fn take(file: &'a File) -> io::Result<Lock<'a>> {
        use std::os::fd::AsRawFd;
        let started = Instant::now();
        loop {
            // SAFETY: flock(2) on a descriptor the File owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Ok(Lock(file));
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::WouldBlock && e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
            if started.elapsed() >= LOCK_PATIENCE {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "the file stayed locked by another process"));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[cfg(not(unix))]
    fn take(_file: &'a File) -> io::Result<Lock<'a>> {
        let _ = (Instant::now(), LOCK_PATIENCE);
        Err(io::Error::new(io::ErrorKind::Unsupported, "file: stores need flock (Unix)"))
    }
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock(2) on a descriptor the File owns.
            unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_handles_on_one_file_share_one_log() {
        let dir = std::env::temp_dir().join(format!("trillet-file-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("limit");
        let _ = std::fs::remove_file(&path);
        let a = FileStore::open(path.clone()).unwrap();
        let b = FileStore::open(path.clone()).unwrap();
        assert_eq!(a.take(2).unwrap(), Ok(()));
        assert_eq!(b.take(2).unwrap(), Ok(()));
        let wait = a.take(2).unwrap().unwrap_err();
        assert!(wait > 50_000, "the third send waits for the window: {wait} ms");
        b.block_for(Duration::from_secs(3600)).unwrap();
        assert!(a.take(1000).unwrap().unwrap_err() > 3_000_000, "a block written by one is seen by the other");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
