use scheme_runtime::{scheme_methods, SchemeObject};

struct Db;
impl SchemeObject for Db {
    const TYPE_NAME: &'static str = "db";
}

#[scheme_methods]
impl Db {
    fn close(self) -> bool {
        true
    }
}

fn main() {}
