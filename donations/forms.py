from django import forms

from donations.models import Association


class AssociationForm(forms.ModelForm):
    class Meta:
        model = Association
        fields = [
            "name",
            "line1",
            "line2",
            "postcode",
            "city",
            "country",
            "siren",
            "rna",
            "purpose",
            "qualification",
            "qualification_detail",
            "signatory_name",
            "signatory_role",
            "signature",
            "email",
        ]
