"""Evaluation statements: each unit's, each head's and each employee's goals of a year with
their targets, final values, achievement and evidence, which the evaluator reads to fill in the
Ministry's evaluation form; and the national platform's sheet, exported and imported back.

- `access.py`: whose statements a person may download (the person, their evaluators, the
  General Secretary and the admins; a unit's also the Mayor and the deputies);
- `content.py`: what a statement holds, read in a fixed number of queries per unit;
- `sheets.py`: a statement as a workbook;
- `national.py` and `national_import.py`: the national platform's sheet per evaluator.
"""
