from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Files that have no public URL: digital issues, served only by the download view."""

    def url(self, name):
        raise ValueError("A private file has no URL: serve it through the download view.")
