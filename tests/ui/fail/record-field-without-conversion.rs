use scheme_runtime::SchemeRecord;

#[derive(SchemeRecord)]
struct Handle {
    name: String,
    file: std::fs::File,
}

fn main() {}
