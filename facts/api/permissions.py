"""Who may do what through the API: anyone reads; editors with the model permission write."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class EditorOrReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """Reads for everyone; each write needs the model's add, change or delete permission."""
