"""The Toolkit page's "Published website" panel."""
