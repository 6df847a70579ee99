"""StreamField blocks that trainers compose content from.

`lesson` holds the blocks of lesson bodies, `quiz` the question blocks of quizzes.
"""
