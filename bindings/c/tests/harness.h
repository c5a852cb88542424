/*
 * A tiny test harness: plain checks, one line per test case, and a counted summary.
 *
 * A test case is a function; CHECK(...) records a failure (with file, line and the expression)
 * and lets the case go on, so every resource is freed even when a check fails.
 */
#ifndef TRILLET_TEST_HARNESS_H
#define TRILLET_TEST_HARNESS_H

#include <stddef.h>

typedef void (*test_fn)(void);

struct test_case {
    const char *name;
    test_fn fn;
};

/* Records a failed check in the current test case. */
void harness_fail(const char *file, int line, const char *expr, const char *detail);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) harness_fail(__FILE__, __LINE__, #cond, NULL);                               \
    } while (0)

/* CHECK with some text (usually the JSON the library returned) shown on failure. */
#define CHECK_MSG(cond, detail)                                                                    \
    do {                                                                                           \
        if (!(cond)) harness_fail(__FILE__, __LINE__, #cond, (detail));                           \
    } while (0)

/* The suites, each a NULL-terminated array (see the test_*.c files). */
extern const struct test_case hostile_tests[];
extern const struct test_case resource_tests[];
extern const struct test_case error_tests[];
extern const struct test_case thread_tests[];
extern const struct test_case cancel_tests[];
extern const struct test_case webhook_tests[];

#endif
