/*
 * Runs every C test case and prints a line per case and the summary `N passed, N failed`.
 * An optional argument runs only the cases whose name contains it.
 * Exit status: 0 when every case passed, 2 otherwise (valgrind itself exits 1 on memory errors).
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static int current_failures;

void harness_fail(const char *file, int line, const char *expr, const char *detail) {
    current_failures++;
    fprintf(stdout, "    check failed at %s:%d: %s\n", file, line, expr);
    if (detail != NULL) fprintf(stdout, "      got: %.600s\n", detail);
}

int main(int argc, char **argv) {
    const struct test_case *suites[] = {hostile_tests, resource_tests, error_tests, thread_tests, cancel_tests,
                                          webhook_tests};
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        for (const struct test_case *t = suites[s]; t->name != NULL; t++) {
            if (filter != NULL && strstr(t->name, filter) == NULL) continue;
            current_failures = 0;
            t->fn();
            if (current_failures == 0) {
                passed++;
                printf("ok     %s\n", t->name);
            } else {
                failed++;
                printf("FAILED %s\n", t->name);
            }
            fflush(stdout);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 2;
}
