/* One parameter row per build, picked by ROW: the first is right and must
 * compile; every other puts a field of the wrong C type under a macro and
 * must be refused at compile time (framepipe/stage.h). */
#include <framepipe/stage.h>

typedef struct row_config {
	int64_t count;
	double ratio;
	uint64_t bytes;
	bool flag;
	const char *text;
	int choice;
	int width; /* the natural mistake: an int where int64_t is stored */
	unsigned uchoice;
	float fratio;
	char name[8];
} row_config;

static const fp_param rows[] = {
#if ROW == 0
	FP_PARAM_INT_(row_config, count, "1", 0, 10, "ok"),
	FP_PARAM_FLOAT_(row_config, ratio, "1", 0, 10, "ok"),
	FP_PARAM_SIZE_(row_config, bytes, "1K", 0, 1e9, "ok"),
	FP_PARAM_BOOL_(row_config, flag, "false", "ok"),
	FP_PARAM_STRING_(row_config, text, "x", "ok"),
	FP_PARAM_CHOICE_(row_config, choice, "a", "a|b", "ok"),
#elif ROW == 1
	FP_PARAM_INT_(row_config, width, "1", 0, 10, "int, not int64_t"),
#elif ROW == 2
	FP_PARAM_SIZE_(row_config, count, "1", 0, 10, "int64_t, not uint64_t"),
#elif ROW == 3
	FP_PARAM_FLOAT_(row_config, fratio, "1", 0, 10, "float, not double"),
#elif ROW == 4
	FP_PARAM_BOOL_(row_config, choice, "false", "int, not bool"),
#elif ROW == 5
	FP_PARAM_STRING_(row_config, name, "x", "an array, not a pointer"),
#elif ROW == 6
	FP_PARAM_CHOICE_(row_config, uchoice, "a", "a|b", "unsigned, not int"),
#endif
};

const fp_param *row_table(void);
const fp_param *row_table(void)
{
	return rows;
}
