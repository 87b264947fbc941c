/* Editor settings → the LintConfig a document is analysed with.
 *
 * Settings (initializationOptions, workspace/didChangeConfiguration, workspace/configuration
 * section "nodehint") use the .nodehintrc.json schema — "rules", "ignore", "maxFileSize" (and
 * whatever cli/config.c accepts) — plus LSP-only keys: "hoverLanguage" ("both" | "zh" | "en").
 * For a document, layers apply in this order, later ones winning per rule:
 *   built-in defaults → nearest .nodehintrc.json (as in batch mode) → initializationOptions →
 *   workspace settings → the settings of the workspace folder that holds the document.
 * Editor "ignore" patterns are relative to the workspace folder (else the file's folder). */
#ifndef NODEHINT_LSP_CONFIG_H
#define NODEHINT_LSP_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/config.h"
#include "knowledge/render.h"

typedef struct LspSettings {
  char *lint_json;          /* owned: the settings minus LSP-only keys, or NULL */
  bool has_hover_language;
  KbLanguage hover_language;
} LspSettings;

typedef struct LspFolder {
  char *uri;  /* owned, without a trailing '/' */
  char *path; /* owned, or NULL for a non-file uri */
  LspSettings settings;
} LspFolder;

typedef struct LspConfig {
  Config defaults;
  ConfigCache *cache;       /* owned: .nodehintrc.json files by folder */
  LspSettings init_options;
  LspSettings global;
  Array(LspFolder) folders; /* owned */
} LspConfig;

void lsp_config_init(LspConfig *config);
void lsp_config_fini(LspConfig *config);

/* Validates `value` (a settings object, a {"nodehint": {...}} wrapper, or null) and stores it in
 * *out, replacing what was there. On an error, returns false, leaves *out unchanged and sets
 * *error (caller frees) to "settings: KEY: problem". `value` is borrowed. */
bool lsp_settings_set(LspSettings *out, json_t *value, char **error);
void lsp_settings_fini(LspSettings *settings);

/* Adds / removes a workspace folder by uri. */
void lsp_config_add_folder(LspConfig *config, const char *uri);
void lsp_config_remove_folder(LspConfig *config, const char *uri);

/* Forgets every loaded .nodehintrc.json (one changed on disk). */
void lsp_config_reload_files(LspConfig *config);

/* What a document is analysed with. */
typedef struct DocSettings {
  LintConfig lint;
  size_t max_file_size;
  bool ignored;
  KbLanguage hover_language;
} DocSettings;

/* Resolves the settings for document `uri` (file path `path`, or NULL). Returns false with
 * *error set (caller frees) if its .nodehintrc.json is broken; *out then holds the editor
 * settings over the defaults. */
bool lsp_config_for_document(LspConfig *config, const char *uri, const char *path,
                             DocSettings *out, char **error);

#endif
