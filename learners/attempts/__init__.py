"""Taking and scoring quizzes (start, save, submit, review) and trainers' quiz reports."""
