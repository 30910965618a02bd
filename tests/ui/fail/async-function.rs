use scheme_runtime::scheme_fn;

#[scheme_fn]
async fn fetch(url: &str) -> String {
    url.to_owned()
}

fn main() {}
