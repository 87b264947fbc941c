/* Hover anchors: which knowledge-base entry an occurrence in the code surfaces.
 *
 * Runs inside the one walk (analyze_tree_ex with an AnchorList): the walk hands each
 * interesting node to anchors_note(), which only records it (node, scope); anchors_finish()
 * runs after the walk, when every declaration is known, resolves each recorded node to anchor
 * keys through the same module-alias analysis the rules use (modules_qualify, request
 * handlers) and looks the keys up in the knowledge base's hash table (kb_anchor_lookup). The
 * key syntax is documented in knowledge/embed.py. Nothing here runs when anchors are not
 * requested (the CLI): an->anchor_pass is NULL and the walk skips the hook. */
#ifndef NODEHINT_ANALYSIS_ANCHORS_H
#define NODEHINT_ANALYSIS_ANCHORS_H

#include "analysis/analysis.h"
#include "analysis/analyze.h"

typedef struct AnchorPass AnchorPass;

/* A new, empty pass (caller destroys). */
AnchorPass *anchors_create(void);
void anchors_destroy(AnchorPass *pass);

/* Walk-time hook: records `node` if it may be an anchor occurrence. Cheap: no lookups. */
void anchors_note(Analysis *an, TSNode node, NodeKind kind);

/* After the walk: resolves what was recorded and appends the hits to `out`, sorted by
 * start_byte, one per range. `root` is the tree's root (for the hashbang line). */
void anchors_finish(Analysis *an, TSNode root, AnchorList *out);

#endif
