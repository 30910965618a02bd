use scheme_runtime::scheme_fn;

struct Counter(i64);

impl Counter {
    #[scheme_fn]
    fn value(&self) -> i64 {
        self.0
    }
}

fn main() {}
