"""Spreadsheets: goals and progress exported to .xlsx/.csv, and imported back.

workbooks (reading and writing the files themselves, safely), exports (the sheets people
download), reading (typed rows from an upload), goal_import and progress_import (preview, then
save all or nothing).
"""
