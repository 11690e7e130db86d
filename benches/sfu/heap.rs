//! A counting global allocator, so that the SFU worker's heap per session can be told apart from
//! the synthetic clients' in the same process: live bytes are kept per slot, slot 0 for every
//! thread never marked (the `sfu-worker` thread: we do not spawn it, so we cannot mark it) and
//! one slot per thread marked with [`mark_thread`] (main and the generator threads).
//!
//! Limits: a block is counted against the thread that frees it, so buffers handed across threads
//! (SDP strings, either way) blur the split by a few KiB per negotiation; and aws-lc allocates
//! its DTLS/SRTP state with C `malloc`, which only the process RSS sees.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};

/// One counter per cache line: the generator threads and the worker must not contend for one.
#[repr(align(64))]
struct Slot(AtomicIsize);

const SLOTS: usize = 32;
static LIVE: [Slot; SLOTS] = [const { Slot(AtomicIsize::new(0)) }; SLOTS];
static NEXT: AtomicUsize = AtomicUsize::new(1);

thread_local! {
    // Const-initialised and without a destructor: safe to read from inside the allocator.
    static SLOT: Cell<usize> = const { Cell::new(0) };
}

/// [`System`] plus per-slot live-byte counts.
pub struct Counting;

fn count(bytes: isize) {
    let slot = SLOT.try_with(Cell::get).unwrap_or(0);
    LIVE[slot].0.fetch_add(bytes, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        new
    }
}

/// Count this thread's allocations apart from the SFU worker's (call once, first thing).
pub fn mark_thread() {
    let slot = NEXT.fetch_add(1, Relaxed).min(SLOTS - 1);
    SLOT.with(|s| s.set(slot));
}

/// Live heap bytes of the threads never marked: the SFU worker.
pub fn unmarked() -> isize {
    LIVE[0].0.load(Relaxed)
}
