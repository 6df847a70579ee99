"""SCORM 1.2 and 2004 packages: validation of an uploaded zip (`validation`), its manifest
(`manifest`), and extraction to media storage (`storage`). Pure apart from `storage`."""
