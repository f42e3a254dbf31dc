/* Formatting the ranked table and its JSON: pure functions of ranked rows. */
#ifndef OOMTOP_TOPFMT_H
#define OOMTOP_TOPFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "domain.h"
#include "groupkill.h"
#include "json.h"
#include "modelfmt.h"
#include "proc.h"
#include "rank.h"
#include "strbuf.h"
#include "sysmem.h"
#include "workload.h"

/* What a row needs besides its record. */
struct topfmt_ctx {
	unsigned long totalpages; /* of the domain the badness was computed in */
	unsigned long page_kib;
	bool utf8;                       /* the locale prints UTF-8 */
	size_t width;                    /* cut lines to this many columns; 0 = never cut */
	unsigned long score_totalpages;  /* the global domain's, for oom_score_computed; 0 = totalpages */
	const char *domain;              /* when set, JSON rows name their OOM domain */
	const struct model_check *check; /* the generation the rows were ranked with; NULL = 5.9+ */
	bool workload_col;               /* the WORKLOAD column (rows carry rank_row.workload) */
	const struct groupkill *group;   /* who dies with the first victim; NULL = nobody else */
};

void topfmt_header(struct strbuf *sb, const struct topfmt_ctx *ctx);
void topfmt_row(struct strbuf *sb, const struct rank_row *row, const struct topfmt_ctx *ctx);
void topfmt_command(struct strbuf *sb, const struct proc_record *rec, bool utf8);
void topfmt_workload_cell(struct strbuf *sb, const struct workload *w, size_t width, bool utf8);
void topfmt_workload_json(struct json *j, const char *key, const struct workload *w);
void topfmt_group_note(struct strbuf *sb, const struct groupkill *g, bool utf8);
struct snap_group;
void topfmt_group_header(struct strbuf *sb, const struct topfmt_ctx *ctx);
void topfmt_group_row(struct strbuf *sb, const struct snap_group *g, const struct topfmt_ctx *ctx);
void topfmt_groups(struct strbuf *sb, const struct snap_group *g, size_t n, const struct topfmt_ctx *ctx);
void topfmt_groups_json(struct strbuf *sb, const struct snap_group *g, size_t n);
void topfmt_json(struct json *j, const struct rank_row *row, const struct topfmt_ctx *ctx);
void topfmt_json_array(struct strbuf *sb, struct rank_row *const *rows, size_t n, const struct topfmt_ctx *ctx);
void topfmt_domain(struct strbuf *sb, const struct domain *d, const struct sysmem *mem, bool utf8);
void topfmt_domain_header(struct strbuf *sb, const struct domain *d, const struct sysmem *mem, size_t killable,
			  size_t total, const char *given, const struct model_check *check, bool utf8);
double topfmt_mem_share(const struct proc_record *rec, const struct topfmt_ctx *ctx);

#endif
