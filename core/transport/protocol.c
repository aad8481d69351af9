#include "protocol.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool fp__msg_type_is_valid(uint32_t type)
{
	return type > FP_MSG_FIRST_ && type < FP_MSG_END_;
}

const char *fp__msg_type_name(uint32_t type)
{
#define NAME(name) #name,
	static const char *const names[] = {FP_MSG_KINDS(NAME)};
#undef NAME
	_Static_assert(sizeof names / sizeof names[0] ==
			       FP_MSG_END_ - FP_MSG_FIRST_ - 1,
		       "one name per kind");
	return fp__msg_type_is_valid(type) ? names[type - FP_MSG_FIRST_ - 1]
					   : "garbage";
}

void fp__msg_reader_feed(fp_msg_reader *reader, const void *bytes, size_t len,
			 fp_msg_fn on_msg, void *user)
{
	const unsigned char *p = bytes;
	fp_msg msg;
	if (reader->have > 0) {
		size_t need = sizeof msg - reader->have;
		size_t n = len < need ? len : need;
		memcpy(reader->partial + reader->have, p, n);
		reader->have += n;
		p += n;
		len -= n;
		if (reader->have < sizeof msg)
			return;
		memcpy(&msg, reader->partial, sizeof msg);
		reader->have = 0;
		on_msg(user, &msg);
	}
	for (; len >= sizeof msg; p += sizeof msg, len -= sizeof msg) {
		memcpy(&msg, p, sizeof msg);
		on_msg(user, &msg);
	}
	memcpy(reader->partial, p, len);
	reader->have = len;
}

int fp__outbox_push(fp_outbox *box, fp_msg msg)
{
	if (box->count == box->capacity) {
		size_t capacity = box->capacity ? box->capacity * 2 : 16;
		fp_msg *msgs = realloc(box->msgs, capacity * sizeof *msgs);
		if (msgs == NULL)
			return -ENOMEM;
		box->msgs = msgs;
		box->capacity = capacity;
	}
	box->msgs[box->count++] = msg;
	return 0;
}

void fp__outbox_release(fp_outbox *box)
{
	free(box->msgs);
	memset(box, 0, sizeof *box);
}
