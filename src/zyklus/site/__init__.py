"""The public site of a workspace: pages as data (build), HTML files (render)."""
