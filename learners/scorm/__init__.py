"""SCORM runtime data: what a package's SCOs commit for a learner, per enrolment and attempt."""
