/* The C baseline: the same kind of function as the Scheme primitive `add`,
   called through a function pointer the compiler cannot see through. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long add(long a, long b) { return a + b; }

long (*volatile add_ptr)(long, long) = add;

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    int with_call = argc > 2 ? atoi(argv[2]) : 1;
    long acc = 0;
    if (with_call) {
        for (long i = n; i != 0; i--) acc = add_ptr(acc, i);
    } else {
        for (long i = n; i != 0; i--) { acc = acc + i; __asm__ volatile("" : "+r"(acc)); }
    }
    printf("%ld\n", acc);
    return 0;
}
