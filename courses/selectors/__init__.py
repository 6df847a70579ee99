"""Reads over course content, one module per subject: `catalogue`, `outline`, `content`,
`quizzes`, `certificates`. `learners` and `cms` reach content only through these modules.
"""
