"""The reflection journal: learners' private answers to lessons' reflection prompts."""
