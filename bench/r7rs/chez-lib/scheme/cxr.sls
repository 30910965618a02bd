;;; (scheme cxr) for Chez Scheme 9.5 (see base.sls).
(library (scheme cxr)
  (export caaar caadr cadar caddr cdaar cdadr cddar cdddr caaaar caaadr
          caadar caaddr cadaar cadadr caddar cadddr cdaaar cdaadr cdadar
          cdaddr cddaar cddadr cdddar cddddr)
  (import (chezscheme)))
