//! The `graf` binary: parse the command line, run the command, map errors to exit codes.

use std::process::ExitCode;

mod cli;

use clap::Parser;
use cli::args::Cli;
use graf::error::{exit_code, is_broken_pipe};

fn main() -> ExitCode {
    return_freed_blocks_to_the_kernel();
    match cli::run(Cli::parse()) {
        Ok(code) => code,
        // `graf query … | head` closing the pipe early is not a failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("graf: {err:#}");
            exit_code(&err)
        }
    }
}

/// Makes the allocator give large blocks back to the kernel when they are freed, so that an
/// ingest's memory stays flat as the corpus grows. The blocks are tantivy's indexing buffers,
/// freed at each segment flush. glibc's default threshold moves up to the size of the first
/// large block freed; from then on such blocks come from its heaps, where a freed one stays.
/// The 16× benchmark corpus peaked at 288 MiB that way and at 197 MiB with the threshold fixed;
/// ingest time did not change (2.63 against 2.64 s at 1×, medians of 6). Set once, before any
/// thread starts, for the whole process.
#[allow(unsafe_code)]
fn return_freed_blocks_to_the_kernel() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator, and no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
