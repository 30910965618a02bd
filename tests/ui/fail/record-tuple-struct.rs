use scheme_runtime::SchemeRecord;

#[derive(SchemeRecord)]
struct Point(f64, f64);

fn main() {}
