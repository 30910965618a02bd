;;; (scheme inexact) for Chez Scheme 9.5 (see base.sls).
(library (scheme inexact)
  (export acos asin atan cos exp finite? infinite? log nan? sin sqrt tan)
  (import (chezscheme)))
