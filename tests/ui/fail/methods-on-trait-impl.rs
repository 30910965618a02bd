use scheme_runtime::scheme_methods;

struct Db;

#[scheme_methods]
impl Clone for Db {
    fn clone(&self) -> Self {
        Db
    }
}

fn main() {}
