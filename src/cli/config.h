// .nodehintrc.json: the nearest one walking up from each file applies (no merging with files
// further up; the CLI's --rule and --max-file-size override it).
//
//   { "rules": { "callback-hell": ["warning", { "maxDepth": 4 }],
//                "sync-call-in-handler": "error" },
//     "ignore": ["dist/**", "*.min.js"],
//     "maxFileSize": 8388608,
//     "knowledge": ["docs/team-qa.json"] }
//
// Unknown keys, unknown rules and options, bad severities and values are errors naming the
// file and the key.
#ifndef NODEHINT_CLI_CONFIG_H
#define NODEHINT_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/files.h"
#include "rules/settings.h"

#define CONFIG_FILE_NAME ".nodehintrc.json"

typedef struct Config {
  char *path;       /* owned: the file it came from, NULL for built-in defaults */
  char *dir;        /* owned: the folder `ignore` patterns are relative to */
  LintConfig lint;
  PathList ignore;  /* owned patterns */
  PathList knowledge; /* owned: the knowledge packs it named, as loaded (see knowledge/pack.h) */
  size_t max_file_size;
} Config;

/* Loads and validates a config file. On failure returns false and sets *error (caller frees)
 * to "FILE: KEY: problem". */
bool config_load(const char *path, Config *out, char **error);
void config_fini(Config *config);

/* Applies a JSON text (the same schema) on top of `config`; `origin` names it in errors. */
bool config_apply_json(Config *config, const char *json_text, size_t len, const char *origin,
                       char **error);

/* Is `path` (a file or folder) ignored by the config's patterns? */
bool config_ignores(const Config *config, const char *path);

/* Finds the nearest config for files in folder `dir`, caching per folder. */
typedef struct ConfigCache ConfigCache;
ConfigCache *config_cache_create(const Config *defaults);
void config_cache_destroy(ConfigCache *cache);
/* Returns the Config for `dir` (borrowed from the cache), or NULL with *error set. */
const Config *config_cache_lookup(ConfigCache *cache, const char *dir, char **error);

#endif
