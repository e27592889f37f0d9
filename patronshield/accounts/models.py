from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESK = "desk", _("Desk staff")
    DESIGNEE = "designee", _("Designee")
    DIRECTOR = "director", _("Director")
    ADMIN = "admin", _("Administrator")
    COUNSEL = "counsel", _("Legal counsel")


# Roles that may approve access or release (the policy's "Director or their designee").
APPROVER_ROLES = frozenset({Role.DIRECTOR, Role.DESIGNEE})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A staff member of one library. Patrons never have accounts."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    library = models.ForeignKey(
        "libraries.Library",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("library"),
    )
    branch = models.ForeignKey(
        "libraries.Branch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("usual branch"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role, default=Role.DESK, blank=True
    )  # blank only for a consortium operator, who holds no library role
    designee_order = models.PositiveSmallIntegerField(
        _("designee order"),
        null=True,
        blank=True,
        help_text=_("1 for the first designee, 2 for the second, and so on."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, default="en")
    volunteer = models.BooleanField(
        _("volunteer"),
        default=False,
        help_text=_("A volunteer at the desk: trains like staff and is shown as a volunteer."),
    )
    # Set only on the command line (`patronshield user add EMAIL --operator`), never in a form.
    is_operator = models.BooleanField(
        _("consortium operator"),
        default=False,
        editable=False,
        help_text=_("Creates libraries and their first administrators; no library role."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "designee_order"],
                condition=models.Q(role="designee"),
                name="one_designee_per_rank",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        if not self.role and not self.is_operator:
            raise ValidationError({"role": _("Choose a role.")})

    @property
    def needs_second_factor(self) -> bool:
        return self.is_operator or self.role in settings.MFA_REQUIRED_ROLES

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email
