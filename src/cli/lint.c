/* `nodehint lint [options] [PATH…]`: collect files, resolve each one's config, analyse them on
 * every core, print one report in a deterministic order, exit with ExitCode. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/analyze.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "cli/files.h"
#include "cli/output.h"

typedef enum Format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_GITHUB } Format;

typedef struct RuleOverride {
  RuleId rule;
  Severity severity;
} RuleOverride;

typedef struct LintOptions {
  Format format;
  long max_warnings; /* -1: no limit */
  Array(RuleOverride) overrides;
  unsigned shard_index, shard_count; /* 1-based index; count 0 = no sharding */
  const char *stdin_filename;
  const char *config_path;
  const char *output_path;
  size_t max_file_size; /* 0: from config */
  unsigned jobs;
  bool parse_only;
  bool quiet;
  PathList inputs;
} LintOptions;

/* One unit of work: a file (or stdin) and the settings that apply to it. */
typedef struct LintJob {
  const char *path;  /* borrowed from the report's FileResult */
  bool from_stdin;
  const Config *config; /* borrowed from the cache, or NULL when it failed to load */
  LintConfig lint;
  size_t max_file_size;
} LintJob;

typedef struct LintRun {
  LintJob *jobs;
  FileResult *results;
  uint32_t count;
  atomic_uint next;
  bool parse_only;
  char *stdin_text; /* owned */
  size_t stdin_len;
} LintRun;

static void lint__usage(FILE *out) {
  fputs(
      "usage: nodehint lint [options] [PATH...]\n"
      "\n"
      "Lints .js .mjs .cjs .jsx files (folders are walked; node_modules, .git and hidden\n"
      "folders are skipped). PATH '-' reads standard input. Default PATH: '.'.\n"
      "\n"
      "options:\n"
      "  -f, --format FORMAT     text (default), json, sarif or github\n"
      "  -o, --output FILE       write the report to FILE instead of standard output\n"
      "      --rule ID=SEVERITY  override a rule: off, hint, info, warning or error (repeatable)\n"
      "      --max-warnings N    exit 0 when there are no errors and at most N warnings\n"
      "      --config FILE       use FILE for every file instead of the nearest .nodehintrc.json\n"
      "      --max-file-size N   skip files larger than N bytes (K, M suffixes; default 8M)\n"
      "      --shard I/N         lint only the I-th of N deterministic shards of the file list\n"
      "      --stdin-filename P  the name (and config location) of the text read from '-'\n"
      "  -j, --jobs N            threads to use (default: one per core)\n"
      "      --parse-only        read and parse only, no analysis (benchmark baseline)\n"
      "  -q, --quiet             do not print notices about skipped files\n"
      "  -h, --help              show this help\n",
      out);
}

static bool lint__parse_size(const char *s, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s) return false;
  if (*end == 'k' || *end == 'K') {
    v <<= 10;
    end++;
  } else if (*end == 'm' || *end == 'M') {
    v <<= 20;
    end++;
  }
  if (*end || v == 0 || v > UINT32_MAX) return false;
  *out = (size_t)v;
  return true;
}

static bool lint__parse_uint(const char *s, unsigned long *out) {
  char *end;
  errno = 0;
  if (*s == '-' || *s == '\0') return false;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *end) return false;
  *out = v;
  return true;
}

/* Returns EXIT_CLEAN to continue, or an exit code (help printed: 0; usage error: 2). */
static int lint__parse_args(int argc, char **argv, LintOptions *o) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "-") == 0 || arg[0] != '-') {
      array_push(&o->inputs, xstrdup(arg));
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      for (i++; i < argc; i++) array_push(&o->inputs, xstrdup(argv[i]));
      break;
    }
    /* --name=value or --name value */
    char name[64];
    const char *value = NULL;
    const char *eq = strchr(arg, '=');
    if (eq && arg[1] == '-') {
      snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
      value = eq + 1;
    } else if (arg[1] != '-' && arg[2] != '\0' && strchr("fjo", arg[1])) {
      /* -j2, -fjson, -oFILE: a short option with its value attached */
      snprintf(name, sizeof name, "-%c", arg[1]);
      value = arg + 2;
    } else {
      snprintf(name, sizeof name, "%s", arg);
    }
    bool took_value = false;
#define FLAG(long_name, short_name) \
  (strcmp(name, long_name) == 0 || (short_name && strcmp(name, short_name ? short_name : "") == 0))
#define NEED_VALUE()                                                            \
  do {                                                                          \
    took_value = true;                                                          \
    if (!value) {                                                               \
      if (i + 1 >= argc) {                                                      \
        fprintf(stderr, "nodehint lint: %s needs a value\n", name);             \
        return EXIT_TROUBLE;                                                    \
      }                                                                         \
      value = argv[++i];                                                        \
    }                                                                           \
  } while (0)
    if (FLAG("--help", "-h")) {
      lint__usage(stdout);
      return -1;
    } else if (FLAG("--format", "-f")) {
      NEED_VALUE();
      if (strcmp(value, "text") == 0) o->format = FORMAT_TEXT;
      else if (strcmp(value, "json") == 0) o->format = FORMAT_JSON;
      else if (strcmp(value, "sarif") == 0) o->format = FORMAT_SARIF;
      else if (strcmp(value, "github") == 0) o->format = FORMAT_GITHUB;
      else {
        fprintf(stderr, "nodehint lint: unknown format '%s' (expected text, json, sarif or github)\n", value);
        return EXIT_TROUBLE;
      }
    } else if (FLAG("--output", "-o")) {
      NEED_VALUE();
      o->output_path = value;
    } else if (FLAG("--rule", NULL)) {
      NEED_VALUE();
      const char *sep = strchr(value, '=');
      char id[128];
      if (!sep || (size_t)(sep - value) >= sizeof id) {
        fprintf(stderr, "nodehint lint: --rule expects ID=SEVERITY, got '%s'\n", value);
        return EXIT_TROUBLE;
      }
      snprintf(id, sizeof id, "%.*s", (int)(sep - value), value);
      int rule = rule_find(id);
      if (rule < 0) {
        fprintf(stderr, "nodehint lint: --rule: unknown rule '%s' (see `nodehint rules`)\n", id);
        return EXIT_TROUBLE;
      }
      Severity s;
      if (!severity_parse(sep + 1, &s)) {
        fprintf(stderr,
                "nodehint lint: --rule %s: unknown severity '%s' (expected off, hint, info, "
                "warning or error)\n",
                id, sep + 1);
        return EXIT_TROUBLE;
      }
      array_push(&o->overrides, ((RuleOverride){(RuleId)rule, s}));
    } else if (FLAG("--max-warnings", NULL)) {
      NEED_VALUE();
      unsigned long n;
      if (!lint__parse_uint(value, &n) || n > 1000000000ul) {
        fprintf(stderr, "nodehint lint: --max-warnings expects a number, got '%s'\n", value);
        return EXIT_TROUBLE;
      }
      o->max_warnings = (long)n;
    } else if (FLAG("--config", NULL)) {
      NEED_VALUE();
      o->config_path = value;
    } else if (FLAG("--max-file-size", NULL)) {
      NEED_VALUE();
      if (!lint__parse_size(value, &o->max_file_size)) {
        fprintf(stderr, "nodehint lint: --max-file-size expects a size in bytes (e.g. 8M), got '%s'\n", value);
        return EXIT_TROUBLE;
      }
    } else if (FLAG("--shard", NULL)) {
      NEED_VALUE();
      unsigned a, b;
      char tail;
      if (sscanf(value, "%u/%u%c", &a, &b, &tail) != 2 || b == 0 || a == 0 || a > b) {
        fprintf(stderr, "nodehint lint: --shard expects I/N with 1 <= I <= N, got '%s'\n", value);
        return EXIT_TROUBLE;
      }
      o->shard_index = a;
      o->shard_count = b;
    } else if (FLAG("--stdin-filename", NULL)) {
      NEED_VALUE();
      o->stdin_filename = value;
    } else if (FLAG("--jobs", "-j")) {
      NEED_VALUE();
      unsigned long n;
      if (!lint__parse_uint(value, &n) || n == 0 || n > 256) {
        fprintf(stderr, "nodehint lint: --jobs expects a number from 1 to 256, got '%s'\n", value);
        return EXIT_TROUBLE;
      }
      o->jobs = (unsigned)n;
    } else if (FLAG("--parse-only", NULL)) {
      o->parse_only = true;
    } else if (FLAG("--quiet", "-q")) {
      o->quiet = true;
    } else {
      fprintf(stderr, "nodehint lint: unknown option '%s' (see `nodehint lint --help`)\n", arg);
      return EXIT_TROUBLE;
    }
    if (value && !took_value) {
      fprintf(stderr, "nodehint lint: %s takes no value\n", name);
      return EXIT_TROUBLE;
    }
#undef FLAG
#undef NEED_VALUE
  }
  return EXIT_CLEAN;
}

static bool lint__read_stream(FILE *f, size_t limit, char **out, size_t *len) {
  size_t cap = 64 * 1024, n = 0;
  char *buf = xmalloc(cap);
  for (;;) {
    if (n == cap) {
      if (cap > limit) break; /* enough to know it is too large */
      cap *= 2;
      buf = xrealloc(buf, cap);
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    free(buf);
    return false;
  }
  *out = buf;
  *len = n;
  return true;
}

static void lint__analyse_one(Analyzer *analyzer, LintRun *run, uint32_t index) {
  LintJob *job = &run->jobs[index];
  FileResult *result = &run->results[index];
  if (result->error || result->skipped) return;
  char *text = NULL;
  size_t len = 0;
  bool owned = true;
  if (job->from_stdin) {
    text = run->stdin_text;
    len = run->stdin_len;
    owned = false;
  } else {
    struct stat st;
    FILE *f = fopen(job->path, "rb");
    if (!f) {
      result->error = xasprintf("cannot read: %s", strerror(errno));
      return;
    }
    if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size > job->max_file_size) {
      result->skipped = xasprintf("%.1f MiB is over the %.1f MiB limit (maxFileSize)",
                                  (double)st.st_size / (1 << 20),
                                  (double)job->max_file_size / (1 << 20));
      fclose(f);
      return;
    }
    bool ok = lint__read_stream(f, job->max_file_size, &text, &len);
    fclose(f);
    if (!ok) {
      result->error = xasprintf("read error");
      return;
    }
  }
  result->bytes = len;
  char reason[160];
  if (analyze_check_input(text, len, job->max_file_size, reason, sizeof reason) != INPUT_OK) {
    result->skipped = xstrdup(reason);
  } else {
    TSTree *tree = analyzer_parse(analyzer, text, len, NULL);
    if (!tree) {
      result->skipped = xstrdup("the parser gave up on this file");
    } else {
      if (!run->parse_only) {
        DiagList diags = ARRAY_EMPTY;
        analyze_tree(tree, text, len, &job->lint, &diags);
        output_add_findings(result, text, len, &diags);
        diag_list_fini(&diags);
      }
      ts_tree_delete(tree);
    }
  }
  if (owned) free(text);
}

static void *lint__worker(void *arg) {
  LintRun *run = arg;
  Analyzer *analyzer = analyzer_create();
  if (!analyzer) return NULL;
  for (;;) {
    uint32_t i = atomic_fetch_add(&run->next, 1);
    if (i >= run->count) break;
    lint__analyse_one(analyzer, run, i);
  }
  analyzer_destroy(analyzer);
  return NULL;
}

static void lint__run_parallel(LintRun *run, unsigned jobs) {
  if (jobs > run->count) jobs = run->count ? run->count : 1;
  if (jobs <= 1) {
    lint__worker(run);
    return;
  }
  pthread_t *threads = xcalloc(jobs, sizeof(pthread_t));
  unsigned started = 0;
  for (unsigned t = 0; t < jobs; t++) {
    if (pthread_create(&threads[t], NULL, lint__worker, run) != 0) break;
    started++;
  }
  if (started == 0) lint__worker(run);
  for (unsigned t = 0; t < started; t++) pthread_join(threads[t], NULL);
  free(threads);
}

/* FNV-1a: the shard of a file depends only on its path, so adding files elsewhere never moves
 * a file to another CI job. */
static unsigned lint__shard_of(const char *path, unsigned count) {
  uint32_t h = 2166136261u;
  for (const char *p = path; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
  return h % count;
}

typedef struct WalkContext {
  ConfigCache *cache;
  const Config *fixed; /* --config */
  LintReport *report;
} WalkContext;

static bool lint__skip_dir(void *ctx, const char *dir) {
  WalkContext *w = ctx;
  char *error = NULL;
  const char *parent_dir = dir;
  char *parent = NULL;
  const char *slash = strrchr(dir, '/');
  if (slash) parent_dir = parent = xstrndup(dir, slash == dir ? 1 : (size_t)(slash - dir));
  else parent_dir = ".";
  const Config *config = w->fixed ? w->fixed : config_cache_lookup(w->cache, parent_dir, &error);
  bool skip = config && config_ignores(config, dir);
  free(error);
  free(parent);
  return skip;
}

static void lint__walk_error(void *ctx, const char *path, const char *problem) {
  WalkContext *w = ctx;
  FileResult r;
  memset(&r, 0, sizeof r);
  r.path = xstrdup(path);
  r.error = xasprintf("cannot read folder: %s", problem);
  array_push(&w->report->files, r);
}

static char *lint__dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return xstrdup(".");
  if (slash == path) return xstrdup("/");
  return xstrndup(path, (size_t)(slash - path));
}

static int lint__compare_results(const void *a, const void *b) {
  return strcmp(((const FileResult *)a)->path, ((const FileResult *)b)->path);
}

static bool lint__write(const LintReport *report, Format format, FILE *out) {
  switch (format) {
    case FORMAT_JSON: return format_json(report, out);
    case FORMAT_SARIF: return format_sarif(report, out);
    case FORMAT_GITHUB: return format_github(report, out);
    case FORMAT_TEXT: default: return format_text(report, out);
  }
}

int cli_lint(int argc, char **argv) {
  LintOptions o;
  memset(&o, 0, sizeof o);
  o.max_warnings = -1;
  LintReport report;
  memset(&report, 0, sizeof report);
  Config defaults, fixed;
  memset(&defaults, 0, sizeof defaults);
  memset(&fixed, 0, sizeof fixed);
  ConfigCache *cache = NULL;
  LintRun run;
  memset(&run, 0, sizeof run);
  PathList files = ARRAY_EMPTY;
  int exit_code = EXIT_CLEAN;
  bool trouble = false;

  int parsed = lint__parse_args(argc, argv, &o);
  if (parsed != EXIT_CLEAN) {
    exit_code = parsed < 0 ? EXIT_CLEAN : parsed;
    goto done;
  }
  if (!o.inputs.size) array_push(&o.inputs, xstrdup("."));

  lint_config_defaults(&defaults.lint);
  defaults.max_file_size = ANALYZE_DEFAULT_MAX_FILE_SIZE;
  if (o.config_path) {
    fixed.lint = defaults.lint;
    fixed.max_file_size = defaults.max_file_size;
    char *error = NULL;
    if (!config_load(o.config_path, &fixed, &error)) {
      fprintf(stderr, "nodehint: %s\n", error);
      free(error);
      exit_code = EXIT_TROUBLE;
      goto done;
    }
  }
  cache = config_cache_create(&defaults);
  WalkContext walk = {cache, o.config_path ? &fixed : NULL, &report};

  /* Inputs: named files are linted whatever their extension; folders are walked. */
  bool stdin_used = false;
  for (uint32_t i = 0; i < o.inputs.size; i++) {
    const char *input = o.inputs.items[i];
    if (strcmp(input, "-") == 0) {
      stdin_used = true;
      continue;
    }
    struct stat st;
    if (stat(input, &st) != 0) {
      FileResult r;
      memset(&r, 0, sizeof r);
      r.path = xstrdup(input);
      r.error = xasprintf("%s", strerror(errno));
      array_push(&report.files, r);
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!files_walk(input, &files, lint__skip_dir, &walk, lint__walk_error)) {
        FileResult r;
        memset(&r, 0, sizeof r);
        r.path = xstrdup(input);
        r.error = xasprintf("cannot read folder: %s", strerror(errno));
        array_push(&report.files, r);
      }
    } else {
      array_push(&files, xstrdup(input));
    }
  }
  files_sort_unique(&files);

  /* Jobs: one per file (shard, config and ignore resolved here, single-threaded). */
  uint32_t capacity = files.size + (stdin_used ? 1 : 0);
  run.jobs = xcalloc(capacity ? capacity : 1, sizeof(LintJob));
  run.results = xcalloc(capacity ? capacity : 1, sizeof(FileResult));
  for (uint32_t i = 0; i <= files.size; i++) {
    bool is_stdin = i == files.size;
    if (is_stdin && !stdin_used) break;
    const char *path = is_stdin ? (o.stdin_filename ? o.stdin_filename : "<stdin>") : files.items[i];
    if (!is_stdin && o.shard_count && lint__shard_of(path, o.shard_count) != o.shard_index - 1)
      continue;
    LintJob *job = &run.jobs[run.count];
    FileResult *result = &run.results[run.count];
    result->path = xstrdup(path);
    job->path = result->path;
    job->from_stdin = is_stdin;
    char *error = NULL;
    char *dir = lint__dirname(is_stdin && !o.stdin_filename ? "./<stdin>" : path);
    const Config *config = o.config_path ? &fixed : config_cache_lookup(cache, dir, &error);
    free(dir);
    if (!config) {
      result->error = error ? error : xstrdup("cannot load configuration");
    } else {
      job->lint = config->lint;
      job->max_file_size = o.max_file_size ? o.max_file_size : config->max_file_size;
      for (uint32_t k = 0; k < o.overrides.size; k++)
        job->lint.rules[o.overrides.items[k].rule].severity = o.overrides.items[k].severity;
      if (config_ignores(config, path)) {
        bool named = false;
        for (uint32_t k = 0; k < o.inputs.size && !named; k++)
          named = strcmp(o.inputs.items[k], path) == 0;
        if (!named && !is_stdin) { /* silently not part of the project */
          file_result_fini(result);
          continue;
        }
        result->skipped = xasprintf("ignored by %s", config->path ? config->path : "configuration");
      }
    }
    run.count++;
  }
  if (stdin_used) {
    size_t limit = o.max_file_size ? o.max_file_size : ANALYZE_DEFAULT_MAX_FILE_SIZE;
    if (!lint__read_stream(stdin, limit, &run.stdin_text, &run.stdin_len)) {
      fprintf(stderr, "nodehint: cannot read standard input\n");
      exit_code = EXIT_TROUBLE;
      goto done;
    }
  }

  run.parse_only = o.parse_only;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  lint__run_parallel(&run, o.jobs ? o.jobs : (unsigned)(cores > 0 ? cores : 1));

  for (uint32_t i = 0; i < run.count; i++) array_push(&report.files, run.results[i]);
  free(run.results);
  run.results = NULL;
  if (report.files.size > 1)
    qsort(report.files.items, report.files.size, sizeof(FileResult), lint__compare_results);
  lint_report_count(&report);

  for (uint32_t i = 0; i < report.files.size; i++) {
    const FileResult *f = &report.files.items[i];
    if (f->error) {
      fprintf(stderr, "nodehint: %s: %s\n", f->path, f->error);
      trouble = true;
    } else if (f->skipped && !o.quiet) {
      fprintf(stderr, "nodehint: %s: skipped: %s\n", f->path, f->skipped);
    }
  }

  FILE *out = stdout;
  if (o.output_path) {
    out = fopen(o.output_path, "w");
    if (!out) {
      fprintf(stderr, "nodehint: %s: cannot write: %s\n", o.output_path, strerror(errno));
      exit_code = EXIT_TROUBLE;
      goto done;
    }
  }
  bool written = lint__write(&report, o.format, out);
  if (out != stdout) written = (fclose(out) == 0) && written;
  else written = (fflush(out) == 0) && written;
  if (!written) {
    fprintf(stderr, "nodehint: cannot write the report\n");
    trouble = true;
  }
  if (o.format == FORMAT_TEXT && !o.quiet) {
    size_t problems = report.errors + report.warnings + report.infos + report.hints;
    fprintf(stderr, "%zu problem%s (%zu error%s, %zu warning%s, %zu info, %zu hint%s) in %zu file%s\n",
            problems, problems == 1 ? "" : "s", report.errors, report.errors == 1 ? "" : "s",
            report.warnings, report.warnings == 1 ? "" : "s", report.infos, report.hints,
            report.hints == 1 ? "" : "s", report.analysed, report.analysed == 1 ? "" : "s");
  }

  if (trouble) exit_code = EXIT_TROUBLE;
  else if (report.errors) exit_code = EXIT_FINDINGS;
  else if (report.warnings && (o.max_warnings < 0 || (long)report.warnings > o.max_warnings))
    exit_code = EXIT_FINDINGS;

done:
  if (run.results) {
    for (uint32_t i = 0; i < run.count; i++) file_result_fini(&run.results[i]);
    free(run.results);
  }
  free(run.jobs);
  free(run.stdin_text);
  path_list_fini(&files);
  lint_report_fini(&report);
  config_cache_destroy(cache);
  config_fini(&fixed);
  config_fini(&defaults);
  array_delete(&o.overrides);
  path_list_fini(&o.inputs);
  return exit_code;
}
