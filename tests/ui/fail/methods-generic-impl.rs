use scheme_runtime::scheme_methods;

struct Stack<T>(Vec<T>);

#[scheme_methods]
impl<T> Stack<T> {
    fn depth(&self) -> usize {
        self.0.len()
    }
}

fn main() {}
