"""Events join their library's hash chain: existing events are sealed in order."""

import django.db.models.deletion
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from patronshield import crypto, ledger

    Event = apps.get_model("desk", "Event")
    heads = {}
    for event in Event.objects.select_related("encounter").order_by("at", "pk"):
        library = event.encounter.library_id
        seq, prev = heads.get(library, (0, ledger.GENESIS))
        entry = ledger.seal(
            library=library,
            seq=seq + 1,
            at=event.at,
            kind=event.kind,
            encounter=event.encounter_id,
            ref="",
            actor=event.actor_id,
            data=event.data or {},
            prev_hash=prev,
        )
        Event.objects.filter(pk=event.pk).update(
            library_id=library,
            seq=entry.seq,
            data=event.data or {},
            content_hash=entry.content_hash,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
            mac=crypto.mac(entry.hash.encode(), f"event:{library}"),
        )
        heads[library] = (entry.seq, entry.hash)
    Chain = apps.get_model("desk", "Chain")
    for library, (seq, head) in heads.items():
        mac = crypto.mac(f"{seq}:{head}".encode(), f"head:{library}")
        Chain.objects.create(library_id=library, seq=seq, head=head, mac=mac)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0004_encounter_device_encounter_escalation_wave_and_more"),
        ("libraries", "0004_library_first_wave_library_reescalation_seconds"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="library",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="libraries.library",
            ),
        ),
        migrations.AddField(
            model_name="event", name="seq", field=models.PositiveBigIntegerField(null=True)
        ),
        migrations.AddField(
            model_name="event",
            name="ref",
            field=models.CharField(blank=True, db_index=True, max_length=40, default=""),
        ),
        migrations.AddField(
            model_name="event",
            name="content_hash",
            field=models.CharField(max_length=64, default=""),
        ),
        migrations.AddField(
            model_name="event", name="prev_hash", field=models.CharField(max_length=64, default="")
        ),
        migrations.AddField(
            model_name="event", name="hash", field=models.CharField(max_length=64, null=True)
        ),
        migrations.AddField(
            model_name="event", name="mac", field=models.CharField(max_length=100, default="")
        ),
        migrations.AddField(
            model_name="event", name="purged_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AlterField(
            model_name="event", name="at", field=models.DateTimeField(db_index=True)
        ),
        migrations.AlterField(
            model_name="event",
            name="data",
            field=models.JSONField(blank=True, default=dict, null=True),
        ),
        migrations.AlterField(
            model_name="event",
            name="encounter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="desk.encounter",
            ),
        ),
        migrations.CreateModel(
            name="Chain",
            fields=[
                (
                    "library",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="chain",
                        serialize=False,
                        to="libraries.library",
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("head", models.CharField(default="0" * 64, max_length=64)),
                ("mac", models.CharField(blank=True, max_length=100)),
                ("signing_key", models.BinaryField(blank=True, null=True)),
                ("public_key", models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
