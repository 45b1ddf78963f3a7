/* nst/JSONTestSuite through the parser: every n_ file refused, every y_ file
 * accepted, no i_ file crashes; and every file refused by the request API
 * unless it is a valid JSON object. */
#include "support.h"
#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITE SEGRECV_TEST_DATA "/JSONTestSuite/test_parsing"

static const segrecv_limits LIMITS = {
    .max_body_bytes = 1 << 20,
    .max_header_bytes = 16384,
    .max_depth = 64,
    .max_string_bytes = 1 << 20,
    .max_object_keys = 100000,
    .max_api_key_bytes = 256,
};

static void test_suite(void **state)
{
    (void)state;
    DIR *dir = opendir(SUITE);
    assert_non_null(dir);
    segrecv_allocator alloc = segrecv__allocator_or_default(NULL);
    segrecv__arena arena;
    segrecv__arena_init(&arena, &alloc);
    recorder rec;
    segrecv_receiver *rcv = test_receiver(&rec, NULL);
    int counts[3][2] = {{0}}; /* [y, n, i][accepted?] */
    struct dirent *de;
    while ((de = readdir(dir))) {
        char kind = de->d_name[0];
        if (de->d_name[1] != '_' || (kind != 'y' && kind != 'n' && kind != 'i'))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SUITE, de->d_name);
        size_t len;
        char *text = read_file(path, &len);
        assert_non_null(text);
        segrecv_value *root = NULL;
        const char *message = NULL;
        segrecv_status st = segrecv__json_parse(&arena, &LIMITS, text, len, true, &root, &message);
        bool accepted = st == SEGRECV_OK;
        if (accepted)
            assert_non_null(root);
        else
            assert_non_null(message);
        if (kind == 'y' && !accepted)
            fail_msg("%s refused: %s", de->d_name, message);
        if (kind == 'n' && accepted)
            fail_msg("%s accepted", de->d_name);
        counts[kind == 'y' ? 0 : kind == 'n' ? 1 : 2][accepted]++;
        /* As a request body: only a valid object can get past the parser. */
        outcome out;
        run_oneshot(rcv, &rec, JSON_HEADERS, text, len, &out);
        if (kind == 'n')
            assert_true(out.http == 400 || out.http == 413);
        if (!accepted || segrecv_value_type_of(root) != SEGRECV_OBJECT)
            assert_true(out.http == 400 || out.http == 413);
        assert_int_equal(out.calls, 0); /* no file is a valid event */
        segrecv__arena_reset(&arena);
        free(text);
    }
    closedir(dir);
    print_message("y_: %d accepted; n_: %d refused; i_: %d accepted, %d refused\n", counts[0][1],
                  counts[1][0], counts[2][1], counts[2][0]);
    assert_int_equal(counts[0][0], 0);
    assert_int_equal(counts[1][1], 0);
    assert_true(counts[0][1] > 90 && counts[1][0] > 180);
    segrecv__arena_free(&arena);
    segrecv_receiver_free(rcv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
