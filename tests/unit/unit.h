/*
 * unit.h - a tiny unit-test harness: each test is a function registered in
 * tests/unit/main.c; CHECK records a failure with file and line.
 */
#ifndef QCODE_UNIT_H
#define QCODE_UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_failures;

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond)) {                                          \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__,  \
			       __LINE__, #cond);                        \
			unit_failures++;                                \
		}                                                       \
	} while (0)

#define CHECK_STR(a, b)                                                 \
	do {                                                            \
		const char *a_ = (a), *b_ = (b);                        \
		if (strcmp(a_, b_) != 0) {                              \
			printf("  %s:%d: '%s' != '%s'\n", __FILE__,      \
			       __LINE__, a_, b_);                       \
			unit_failures++;                                \
		}                                                       \
	} while (0)

#define CHECK_INT(a, b)                                                 \
	do {                                                            \
		long long a_ = (long long)(a), b_ = (long long)(b);     \
		if (a_ != b_) {                                         \
			printf("  %s:%d: %s == %lld, expected %lld\n",   \
			       __FILE__, __LINE__, #a, a_, b_);         \
			unit_failures++;                                \
		}                                                       \
	} while (0)

/* Every test function, defined in tests/unit/test_*.c. */
#define UNIT_TESTS(X)                                                   \
	X(test_utf8_validate)                                           \
	X(test_utf8_offsets)                                            \
	X(test_utf8_fast_paths)                                         \
	X(test_normalize)                                               \
	X(test_width_direction)                                         \
	X(test_sha256)                                                  \
	X(test_sha256_long)                                             \
	X(test_forms)                                                   \
	X(test_instream_pieces)                                         \
	X(test_csv_stream)                                              \
	X(test_xlsx_number)                                             \
	X(test_xlsx_dates)                                              \
	X(test_xlsx_date_codes)                                         \
	X(test_xlsx_text_refs)                                          \
	X(test_csv_stream_limit)                                        \
	X(test_refi_guid)                                               \
	X(test_refi_color)                                              \
	X(test_refi_positions)                                          \
	X(test_refi_xml)                                                \
	X(test_refi_reader_prolog)                                      \
	X(test_refi_zip_names)                                          \
	X(test_refi_rules)                                              \
	X(test_undo_scenarios)                                          \
	X(test_serve_answer)                                            \
	X(test_serve_load_mhd)                                          \
	X(test_undo_coders)                                             \
	X(test_db_cached)                                               \
	X(test_segment_time)                                            \
	X(test_segment_labels)                                          \
	X(test_segment_turns)                                           \
	X(test_segment_paragraphs)                                      \
	X(test_speaker_key)                                             \
	X(test_speaker_recurrence)                                      \
	X(test_turns_detect)                                            \
	X(test_match_keywords)                                          \
	X(test_match_hebrew)                                            \
	X(test_match_arabic)                                            \
	X(test_match_arabic_normalise)                                  \
	X(test_match_regex)                                             \
	X(test_match_units)                                             \
	X(test_match_prefilter)                                         \
	X(test_match_enabled)                                           \
	X(test_match_regex_anchors)                                     \
	X(test_match_long_paragraph)                                    \
	X(test_report_tenths)                                           \
	X(test_counts_bar)                                              \
	X(test_report_drop_empty)                                       \
	X(test_counts_wrap)                                             \
	X(test_chart_palette)                                           \
	X(test_tag_to_code_path)                                        \
	X(test_cb_list)                                                 \
	X(test_cb_checks)                                               \
	X(test_cb_parse_md)                                             \
	X(test_cb_write_md)                                             \
	X(test_csv_read)                                                \
	X(test_csv_errors)                                              \
	X(test_csv_detect)                                              \
	X(test_agree_coding)                                            \
	X(test_agree_unitized)                                          \
	X(test_span_pair)

#define X(name) void name(void);
UNIT_TESTS(X)
#undef X

#endif
