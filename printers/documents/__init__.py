"""PDF documents (reportlab, NanumGothic embedded), their templates and PAdES signatures (pyHanko)."""
