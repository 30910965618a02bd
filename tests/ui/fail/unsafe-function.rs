use scheme_runtime::scheme_fn;

#[scheme_fn]
unsafe fn peek(addr: usize) -> u8 {
    *(addr as *const u8)
}

fn main() {}
