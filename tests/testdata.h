/*
 * testdata.h: reading a fixture from tests/data in a cmocka test. The
 * folder comes from $MW_TEST_DATA (set by meson), else tests/data.
 */
#ifndef MW_TESTS_TESTDATA_H
#define MW_TESTS_TESTDATA_H

#include <stddef.h>

/* The whole file dir/name under the test data folder, NUL-terminated; its
 * length in *len. Fails the test when the file cannot be read. The caller
 * frees the result. */
char *mw_test_data_read(const char *dir, const char *name, size_t *len);

#endif
