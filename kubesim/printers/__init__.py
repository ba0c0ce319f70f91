"""kubectl's printers: tables with its columns, AGE, and the -o formats. Objects and `now` in,
text out."""
