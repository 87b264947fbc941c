;;; test-eglot.el --- emacs --batch drives eglot + nodehint --stdio  -*- lexical-binding: t; -*-
;; Run by run_emacs.py:  emacs --batch -l test-eglot.el   (site-start loads Debian's elpa-eglot)
;; Environment (set by run_emacs.py):
;;   NODEHINT_SNIPPET  editors/emacs/nodehint-eglot.el (what the README tells users to load)
;;   NODEHINT_DEMO     the copy of examples/ (`nodehint' is first on PATH)
;;   NODEHINT_Q_SYNC   the verbatim question of entry async-vs-sync
;;   NODEHINT_RESULT   file this script writes its "ok"/"FAIL" lines to
;;   NODEHINT_WAIT     seconds to wait for each reply (default 20)
;; Steps: load the snippet, set the documented settings form, visit app.js (js-mode), run
;; post-command-hook once (eglot-ensure connects there; batch runs no command loop), wait for
;; flymake's diagnostics with rule ids (settings applied: sync-call-in-handler is an error),
;; visit users.js (same server, callback-hell), edit (didChange sent by hand: batch fires no
;; idle timers) and see the finding move, hover, shut down.

(require 'cl-lib)
(require 'subr-x)

(defvar nh-passed 0)
(defvar nh-failed 0)
(defvar nh-result (getenv "NODEHINT_RESULT"))
(defvar nh-wait (string-to-number (or (getenv "NODEHINT_WAIT") "20")))

(defun nh-log (line)
  (with-temp-buffer
    (insert line "\n")
    (append-to-file (point-min) (point-max) nh-result)))

(defun nh-check (cond what &optional detail)
  (if cond
      (progn (setq nh-passed (1+ nh-passed)) (nh-log (concat "ok   " what)))
    (setq nh-failed (1+ nh-failed))
    (nh-log (concat "FAIL " what (if detail (format ": %s" detail) ""))))
  cond)

(defun nh-wait-for (pred)
  "Runs process output and timers until PRED is non-nil or NODEHINT_WAIT seconds pass."
  (let ((deadline (+ (float-time) nh-wait)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun nh-diags ()
  "The current buffer's flymake diagnostics as (LINE TYPE TEXT), sorted."
  (sort (mapcar (lambda (d)
                  (list (line-number-at-pos (flymake-diagnostic-beg d))
                        (flymake-diagnostic-type d)
                        (flymake-diagnostic-text d)))
                (flymake-diagnostics))
        (lambda (a b) (< (car a) (car b)))))

(defun nh-find (rule &optional line)
  (cl-find-if (lambda (d) (and (string-match-p (regexp-quote (format "[%s]" rule)) (nth 2 d))
                               (or (null line) (= line (car d)))))
              (nh-diags)))

(defun nh-wait-diag (rule &optional line)
  (nh-wait-for (lambda () (nh-find rule line))))

(defun nh-main ()
  (load (getenv "NODEHINT_SNIPPET") nil t)
  (require 'eglot)
  (nh-check (equal (cdr (assoc '(js-mode js-ts-mode) eglot-server-programs))
                   '("nodehint" "--stdio"))
            "the snippet registers nodehint --stdio for js-mode")
  ;; The settings form the snippet documents (commented out there).
  (setq-default eglot-workspace-configuration
                '(:nodehint (:rules (:sync-call-in-handler "error") :hoverLanguage "both")))
  (let* ((demo (getenv "NODEHINT_DEMO"))
         (app (find-file (expand-file-name "app.js" demo)))
         server)
    (nh-check (eq major-mode 'js-mode) "app.js is in js-mode" major-mode)
    (run-hooks 'post-command-hook)
    (setq server (nh-wait-for #'eglot-current-server))
    (unless (nh-check server "eglot connected to nodehint")
      (error "no server"))
    (nh-check (file-equal-p (project-root (eglot--project server)) demo)
              "the server's project is the demo folder (its git root)"
              (project-root (eglot--project server)))
    (nh-check (nh-wait-for (lambda () (and (eglot--server-capable :hoverProvider) t)))
              "the server advertises hover")
    ;; Flymake's eglot backend starts when flymake-mode is turned on (deferred to the command
    ;; loop, which batch lacks): start it by hand.
    (flymake-start)
    (let ((d (nh-wait-diag "sync-call-in-handler" 21)))
      (nh-check d "app.js: flymake shows [sync-call-in-handler] on line 21" (nh-diags))
      (nh-check (and d (string-prefix-p "nodehint [sync-call-in-handler]: execSync()" (nth 2 d)))
                "the text is source [rule]: message" d)
      ;; eglot's flymake types: eglot-error, eglot-warning, eglot-note.
      (nh-check (and d (eq (nth 1 d) 'eglot-error))
                "settings applied: sync-call-in-handler is an error" d))
    (let ((d (nh-wait-diag "promise-catch-missing" 35)))
      (nh-check d "app.js: [promise-catch-missing] on line 35" (nh-diags))
      (nh-check (and d (eq (nth 1 d) 'eglot-warning)) "promise-catch-missing is a warning" d))

    ;; Hover on execSync (line 21, column 18): eglot asks for plaintext or markdown.
    (goto-char (point-min))
    (forward-line 20)
    (forward-char 17)
    (let* ((reply (jsonrpc-request server :textDocument/hover
                                   (eglot--TextDocumentPositionParams)))
           (contents (plist-get reply :contents))
           (text (format "%s" (if (stringp contents) contents (plist-get contents :value)))))
      (nh-check (string-match-p (regexp-quote (getenv "NODEHINT_Q_SYNC")) text)
                (format "hover quotes «%s»" (getenv "NODEHINT_Q_SYNC"))
                (substring text 0 (min 300 (length text)))))

    ;; An edit: a line inserted at the top; eglot sends didChange from an idle timer, which
    ;; batch never runs, so send it the way the timer would.
    (goto-char (point-min))
    (insert "// a line added by the test\n")
    (eglot--signal-textDocument/didChange)
    (nh-check (nh-wait-diag "sync-call-in-handler" 22)
              "after the edit the finding moves to line 22" (nh-diags))

    ;; A second file of the same project: the same server, its own findings.
    (with-current-buffer (find-file (expand-file-name "routes/users.js" demo))
      (run-hooks 'post-command-hook)
      (nh-wait-for (lambda () eglot--managed-mode))
      (nh-check (eq (eglot-current-server) server) "users.js is managed by the same server")
      (flymake-start)
      (nh-check (nh-wait-diag "callback-hell" 60) "users.js: [callback-hell] on line 60" (nh-diags))
      (nh-check (nh-wait-diag "buffer-constructor" 18) "users.js: [buffer-constructor] on line 18"
                (nh-diags)))

    ;; Shut down: eglot sends shutdown, then exit (and its jsonrpc kills the process).
    (with-current-buffer app
      (let ((proc (jsonrpc--process server)))
        (eglot-shutdown server)
        (nh-check (nh-wait-for (lambda () (not (process-live-p proc)))) "the server process ended")))))

(condition-case err
    (progn (nh-main) (nh-check t "the script ran to its end"))
  (error (nh-check nil "the script ran to its end" (error-message-string err))))
(nh-log (format "%d passed, %d failed" nh-passed nh-failed))
(kill-emacs (if (zerop nh-failed) 0 1))
;;; test-eglot.el ends here
