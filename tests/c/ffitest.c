/* C functions for the foreign-procedure tests (tests/tests/c_ffi.rs): one
   per type class, stack arguments, and callbacks. Built by the test. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

int8_t neg_i8(int8_t x) { return (int8_t)-x; }
uint8_t inc_u8(uint8_t x) { return (uint8_t)(x + 1); }
int16_t neg_i16(int16_t x) { return (int16_t)-x; }
uint16_t inc_u16(uint16_t x) { return (uint16_t)(x + 1); }
int32_t neg_i32(int32_t x) { return -x; }
uint32_t inc_u32(uint32_t x) { return x + 1; }
int64_t neg_i64(int64_t x) { return -x; }
uint64_t inc_u64(uint64_t x) { return x + 1; }
float half_f(float x) { return x / 2; }
double hyp(double a, double b) { return a * a + b * b; }
int is_positive(int x) { return x > 0; }
char next_char(char c) { return (char)(c + 1); }
const char *greeting(int which) { return which ? "h\xc3\xa9llo" : NULL; }
size_t count_bytes(const uint8_t *p, size_t n, uint8_t b) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += p[i] == b;
    return k;
}
/* Ten integer and ten double arguments: some travel on the stack. */
long sum10(long a, long b, long c, long d, long e, long f, long g, long h, long i, long j) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j;
}
double dsum10(double a, double b, double c, double d, double e, double f, double g, double h,
              double i, double j) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j;
}
double mixed(int a, double b, long c, float d, unsigned char e) { return a + b + c + d + e; }
void *identity(void *p) { return p; }
/* Callbacks. */
long apply_ll(long (*f)(long, long), long a, long b) { return f(a, b); }
double apply_d(double (*f)(double), double x) { return f(x); }
long fold_cb(long (*f)(long, long), long n) {
    long acc = 0;
    for (long i = 1; i <= n; i++) acc = f(acc, i);
    return acc;
}
int call_str(int (*f)(const char *), const char *s) { return f(s); }
long many_cb(long (*f)(long, long, long, long, long, long, long, long)) {
    return f(1, 2, 3, 4, 5, 6, 7, 8);
}
