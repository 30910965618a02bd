use scheme_runtime::SchemeSymbol;

#[derive(SchemeSymbol)]
enum Shape {
    Circle(f64),
    Square,
}

fn main() {}
