"""The core schema of the card and zyklus.yaml, made from zyklus.models (issue 21).

Made by ``zyklus.files.stored.generate()``; do not edit. Regenerate with
``ZYKLUS_UPDATE_SCHEMA=1 pytest tests/files/test_stored.py``.
"""

# mypy: ignore-errors
from functools import partial

from zyklus import amounts, values
from zyklus.files.stored import Light, made

PYDANTIC_CORE = '2.50.5'  # made with this release


class ActorRef(Light):
    __slots__ = ()


class BudgetSettings(Light):
    __slots__ = ()


class Card(Light):
    __slots__ = ()


class CsvConvention(Light):
    __slots__ = ()


class DecisionBody(Light):
    __slots__ = ()


class Evidence(Light):
    __slots__ = ()


class Funder(Light):
    __slots__ = ()


class FundingLine(Light):
    __slots__ = ()


class Goal(Light):
    __slots__ = ()


class Indicator(Light):
    __slots__ = ()


class Measurement(Light):
    __slots__ = ()


class Milestone(Light):
    __slots__ = ()


class Need(Light):
    __slots__ = ()


class Partner(Light):
    __slots__ = ()


class Period(Light):
    __slots__ = ()


class Resources(Light):
    __slots__ = ()


class Selection(Light):
    __slots__ = ()


class SiteSettings(Light):
    __slots__ = ()


class Source(Light):
    __slots__ = ()


class StrategicGoal(Light):
    __slots__ = ()


class TargetGroup(Light):
    __slots__ = ()


class Thresholds(Light):
    __slots__ = ()


class TrafficLight(Light):
    __slots__ = ()


class Workspace(Light):
    __slots__ = ()


SCHEMAS = {
    'Card': ({'type': 'definitions', 'schema': {'type': 'model', 'cls': Card, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': values.not_a_device}, 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}}, 'title': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'areas': {'type': 'model-field', 'schema': {'type': 'list', 'items_schema': {'type': 'chain', 'steps': [{'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.max_length, max_length=80)}, 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.min_length, min_length=1)}, 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.int_id_to_str}, 'schema': {'type': 'str'}}}}, {'type': 'function-wrap', 'function': {'type': 'no-info', 'function': values.constraint_step}, 'schema': {'type': 'str', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]*$'}}]}, 'min_length': 1}}, 'target_groups': {'type': 'model-field', 'schema': {'type': 'list', 'items_schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}, 'min_length': 1}}, 'themes': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'str', 'min_length': 1}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'duration': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'start': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'default': None}}, 'end': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'default': None}}, 'description': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'audience': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'actors': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'union', 'choices': [{'type': 'str', 'min_length': 1}, {'type': 'model', 'cls': ActorRef, 'schema': {'type': 'model-fields', 'fields': {'partner': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'role': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}}, 'model_name': 'ActorRef', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'ActorRef'}, 'ref': 'zyklus.models.ActorRef:0'}]}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'synergies': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'str', 'min_length': 1}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'needs': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Need, 'schema': {'type': 'model-fields', 'fields': {'statement': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'evidence': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Evidence, 'schema': {'type': 'model-fields', 'fields': {'area': {'type': 'model-field', 'schema': {'type': 'chain', 'steps': [{'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.max_length, max_length=80)}, 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.min_length, min_length=1)}, 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.int_id_to_str}, 'schema': {'type': 'str'}}}}, {'type': 'function-wrap', 'function': {'type': 'no-info', 'function': values.constraint_step}, 'schema': {'type': 'str', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]*$'}}]}}, 'indicator': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'period': {'type': 'model-field', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}}, 'model_name': 'Evidence', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Evidence'}, 'ref': 'zyklus.models.Evidence:1'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'sources': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Source, 'schema': {'type': 'model-fields', 'fields': {'kind': {'type': 'model-field', 'schema': {'type': 'literal', 'expected': ['interview', 'workshop', 'expert', 'buendnis']}}, 'with_': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}, 'validation_alias': 'with', 'serialization_alias': 'with'}, 'date': {'type': 'model-field', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'note': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'illustrative': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'bool'}, 'default': False}}}, 'model_name': 'Source', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Source'}, 'ref': 'zyklus.models.Source:2'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}}, 'model_name': 'Need', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Need'}, 'ref': 'zyklus.models.Need:3'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'existing_offers': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'needs_check_note': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'goals': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Goal, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[A-Za-z][A-Za-z0-9_-]{0,30}$'}}, 'statement': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'indicator': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'default': None}}, 'unit': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'baseline': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'definition-ref', 'schema_ref': 'zyklus.models.Measurement:4'}}, 'default': None}}, 'target': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'definition-ref', 'schema_ref': 'zyklus.models.Measurement:4'}}, 'default': None}}, 'area': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'chain', 'steps': [{'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.max_length, max_length=80)}, 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.min_length, min_length=1)}, 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.int_id_to_str}, 'schema': {'type': 'str'}}}}, {'type': 'function-wrap', 'function': {'type': 'no-info', 'function': values.constraint_step}, 'schema': {'type': 'str', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]*$'}}]}}, 'default': None}}, 'level': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'int', 'ge': 1, 'le': 7}}, 'default': None}}, 'contributes_to': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}}, 'model_name': 'Goal', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Goal'}, 'ref': 'zyklus.models.Goal:5'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'resources': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'model', 'cls': Resources, 'schema': {'type': 'model-fields', 'fields': {'staff_fte': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.reject_german_number}, 'schema': {'type': 'float', 'ge': 0}}}, 'default': None}}, 'budget_eur': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.reject_german_number}, 'schema': {'type': 'float', 'ge': 0}}}, 'default': None}}, 'cost_per_year': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'dict', 'keys_schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.at_most, le=2200)}, 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.at_least, ge=1900)}, 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.year_key}, 'schema': {'type': 'int'}}}}, 'values_schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': amounts.to_amount}, 'schema': {'type': 'decimal'}}}, 'default_factory': values.new_dict, 'default_factory_takes_data': False}}, 'notes': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}}, 'model_name': 'Resources', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Resources'}, 'ref': 'zyklus.models.Resources:6'}, 'default_factory': lambda: made(Resources, {'staff_fte': None, 'budget_eur': None, 'cost_per_year': {}, 'notes': None}), 'default_factory_takes_data': False}}, 'milestones': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Milestone, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[A-Za-z][A-Za-z0-9_-]{0,30}$'}}, 'title': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'due': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'default': None}}}, 'model_name': 'Milestone', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Milestone'}, 'ref': 'zyklus.models.Milestone:7'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'visibility': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'literal', 'expected': ['public', 'internal']}}, 'default': None}}, 'internal': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'union', 'choices': [{'type': 'str'}, {'type': 'dict', 'keys_schema': {'type': 'str'}, 'values_schema': {'type': 'str', 'min_length': 1}}]}}, 'default': None}}, 'funding': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': FundingLine, 'schema': {'type': 'model-fields', 'fields': {'funder': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'amount': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': amounts.to_amount}, 'schema': {'type': 'decimal'}}}, 'default': None}}, 'period': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'model', 'cls': Period, 'schema': {'type': 'model-fields', 'fields': {'from_': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'default': None}, 'validation_alias': 'from', 'serialization_alias': 'from'}, 'to': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'default': None}}}, 'model_name': 'Period', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Period'}, 'ref': 'zyklus.models.Period:8'}}, 'default': None}}, 'status': {'type': 'model-field', 'schema': {'type': 'literal', 'expected': ['planned', 'applied', 'granted', 'rejected']}}, 'reference': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'own_share': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': amounts.to_amount}, 'schema': {'type': 'decimal'}}}, 'default': None}}, 'note': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'illustrative': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'bool'}, 'default': False}}}, 'model_name': 'FundingLine', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'FundingLine'}, 'ref': 'zyklus.models.FundingLine:9'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}}, 'model_name': 'Card', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Card'}, 'ref': 'zyklus.models.Card:10'}, 'definitions': [{'type': 'model', 'cls': Measurement, 'schema': {'type': 'model-fields', 'fields': {'value': {'type': 'model-field', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.reject_german_number}, 'schema': {'type': 'float'}}}, 'date': {'type': 'model-field', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}}, 'model_name': 'Measurement', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Measurement'}, 'ref': 'zyklus.models.Measurement:4'}]}, {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Card'}),
    'Workspace': ({'type': 'function-after', 'function': {'type': 'no-info', 'function': values.bases_are_declared}, 'schema': {'type': 'model', 'cls': Workspace, 'schema': {'type': 'model-fields', 'fields': {'name': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'language': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['de', 'en']}, 'default': 'de'}}, 'current_cycle': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'int', 'ge': 1900, 'le': 2200}}, 'default': None}}, 'city': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'chain', 'steps': [{'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.max_length, max_length=80)}, 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.min_length, min_length=1)}, 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.int_id_to_str}, 'schema': {'type': 'str'}}}}, {'type': 'function-wrap', 'function': {'type': 'no-info', 'function': values.constraint_step}, 'schema': {'type': 'str', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]*$'}}]}}, 'default': None}}, 'target_groups': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': TargetGroup, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'label': {'type': 'model-field', 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': values.some_language}, 'schema': {'type': 'union', 'choices': [{'type': 'str', 'min_length': 1}, {'type': 'dict', 'keys_schema': {'type': 'literal', 'expected': ['de', 'en']}, 'values_schema': {'type': 'str', 'min_length': 1}}]}}}, 'description': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}}, 'model_name': 'TargetGroup', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'TargetGroup'}, 'ref': 'zyklus.models.TargetGroup:0'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'strategic_goals': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': StrategicGoal, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'title': {'type': 'model-field', 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': values.some_language}, 'schema': {'type': 'union', 'choices': [{'type': 'str', 'min_length': 1}, {'type': 'dict', 'keys_schema': {'type': 'literal', 'expected': ['de', 'en']}, 'values_schema': {'type': 'str', 'min_length': 1}}]}}}, 'statement': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'target_groups': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'source': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}}, 'model_name': 'StrategicGoal', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'StrategicGoal'}, 'ref': 'zyklus.models.StrategicGoal:1'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'indicators': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': values.index_has_a_reference}, 'schema': {'type': 'model', 'cls': Indicator, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'label': {'type': 'model-field', 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': values.some_language}, 'schema': {'type': 'union', 'choices': [{'type': 'str', 'min_length': 1}, {'type': 'dict', 'keys_schema': {'type': 'literal', 'expected': ['de', 'en']}, 'values_schema': {'type': 'str', 'min_length': 1}}]}}}, 'unit': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'direction': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['higher_is_worse', 'higher_is_better']}, 'default': 'higher_is_worse'}}, 'aggregation': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['share', 'sum']}, 'default': 'share'}}, 'source': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'kind': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'literal', 'expected': ['zscore', 'index', 'category']}}, 'default': None}}, 'reference': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'float'}}, 'default': None}}, 'sd': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'float', 'gt': 0}}, 'default': None}}, 'categories': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'list', 'items_schema': {'type': 'str', 'min_length': 1}}}, 'default': None}}, 'base': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'default': None}}, 'min_base': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.reject_german_number}, 'schema': {'type': 'float', 'ge': 0}}}, 'default': None}}}, 'model_name': 'Indicator', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Indicator'}}, 'ref': 'zyklus.models.Indicator:2'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'thresholds': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'model', 'cls': Thresholds, 'schema': {'type': 'model-fields', 'fields': {'hotspot_ratio': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'float', 'gt': 1}, 'default': 1.25}}, 'at_tolerance': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'float', 'ge': 0, 'lt': 1}, 'default': 0.05}}, 'sd_hotspot': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'float', 'gt': 0}, 'default': 1.5}}, 'sd_at': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'float', 'gt': 0}, 'default': 1.0}}}, 'model_name': 'Thresholds', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Thresholds'}, 'ref': 'zyklus.models.Thresholds:3'}, 'default_factory': lambda: made(Thresholds, {'hotspot_ratio': 1.25, 'at_tolerance': 0.05, 'sd_hotspot': 1.5, 'sd_at': 1.0}), 'default_factory_takes_data': False}}, 'traffic_light': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'model', 'cls': TrafficLight, 'schema': {'type': 'model-fields', 'fields': {'stuck_days': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'int', 'ge': 1}, 'default': 365}}, 'stuck_red_days': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'int', 'ge': 1}, 'default': 730}}, 'overdue_red_days': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'int', 'ge': 0}, 'default': 90}}}, 'model_name': 'TrafficLight', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'TrafficLight'}, 'ref': 'zyklus.models.TrafficLight:4'}, 'default_factory': lambda: made(TrafficLight, {'stuck_days': 365, 'stuck_red_days': 730, 'overdue_red_days': 90}), 'default_factory_takes_data': False}}, 'selections': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Selection, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'label': {'type': 'model-field', 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': values.some_language}, 'schema': {'type': 'union', 'choices': [{'type': 'str', 'min_length': 1}, {'type': 'dict', 'keys_schema': {'type': 'literal', 'expected': ['de', 'en']}, 'values_schema': {'type': 'str', 'min_length': 1}}]}}}, 'areas': {'type': 'model-field', 'schema': {'type': 'list', 'items_schema': {'type': 'chain', 'steps': [{'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.max_length, max_length=80)}, 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.min_length, min_length=1)}, 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.int_id_to_str}, 'schema': {'type': 'str'}}}}, {'type': 'function-wrap', 'function': {'type': 'no-info', 'function': values.constraint_step}, 'schema': {'type': 'str', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]*$'}}]}}}, 'description': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}}, 'model_name': 'Selection', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Selection'}, 'ref': 'zyklus.models.Selection:5'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'data': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'model', 'cls': CsvConvention, 'schema': {'type': 'model-fields', 'fields': {'delimiter': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['auto', ',', ';', '\t']}, 'default': 'auto'}}, 'decimal': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['auto', '.', ',']}, 'default': 'auto'}}, 'encoding': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['auto', 'utf-8', 'cp1252']}, 'default': 'auto'}}, 'suppressed': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'str'}}, 'default_factory': values.suppressed_marks, 'default_factory_takes_data': False}}, 'missing': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'str'}}, 'default_factory': values.missing_marks, 'default_factory_takes_data': False}}}, 'model_name': 'CsvConvention', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'CsvConvention'}, 'ref': 'zyklus.models.CsvConvention:6'}, 'default_factory': lambda: made(CsvConvention, {'delimiter': 'auto', 'decimal': 'auto', 'encoding': 'auto', 'suppressed': ['.', '*'], 'missing': ['', 'x', 'X', '-', '–', '—', '...', '…', '/']}), 'default_factory_takes_data': False}}, 'illustrative': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'bool'}, 'default': False}}, 'decision_bodies': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': DecisionBody, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'label': {'type': 'model-field', 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': values.some_language}, 'schema': {'type': 'union', 'choices': [{'type': 'str', 'min_length': 1}, {'type': 'dict', 'keys_schema': {'type': 'literal', 'expected': ['de', 'en']}, 'values_schema': {'type': 'str', 'min_length': 1}}]}}}, 'description': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'source': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'required_for': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'literal', 'expected': ['analysis', 'needs', 'goals', 'planning', 'implementation', 'evaluation', 'done', 'stopped']}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}}, 'model_name': 'DecisionBody', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'DecisionBody'}, 'ref': 'zyklus.models.DecisionBody:7'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'site': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'model', 'cls': SiteSettings, 'schema': {'type': 'model-fields', 'fields': {'default_visibility': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['public', 'internal']}, 'default': 'public'}}}, 'model_name': 'SiteSettings', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'SiteSettings'}, 'ref': 'zyklus.models.SiteSettings:8'}, 'default_factory': lambda: made(SiteSettings, {'default_visibility': 'public'}), 'default_factory_takes_data': False}}, 'partners': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Partner, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'name': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'kind': {'type': 'model-field', 'schema': {'type': 'literal', 'expected': ['verwaltung', 'wirtschaft', 'freie-wohlfahrt', 'gewerkschaften-arbeitgeber', 'kammern', 'bildung']}}, 'level': {'type': 'model-field', 'schema': {'type': 'function-after', 'function': {'type': 'no-info', 'function': partial(values.min_length, min_length=1)}, 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.one_or_many}, 'schema': {'type': 'list', 'items_schema': {'type': 'literal', 'expected': ['strategisch', 'operativ']}}}}}, 'contact': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'note': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}}, 'model_name': 'Partner', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Partner'}, 'ref': 'zyklus.models.Partner:9'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'funders': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': Funder, 'schema': {'type': 'model-fields', 'fields': {'id': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'name': {'type': 'model-field', 'schema': {'type': 'str', 'min_length': 1}}, 'kind': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'literal', 'expected': ['eu', 'bund', 'land', 'kommune', 'jobcenter', 'stiftung', 'sonstige']}}, 'default': None}}, 'partner': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'default': None}}, 'note': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}}, 'model_name': 'Funder', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Funder'}, 'ref': 'zyklus.models.Funder:10'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}, 'budget': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'model', 'cls': BudgetSettings, 'schema': {'type': 'model-fields', 'fields': {'coverage_gate': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'literal', 'expected': ['off', 'planned', 'granted']}, 'default': 'off'}}}, 'model_name': 'BudgetSettings', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'BudgetSettings'}, 'ref': 'zyklus.models.BudgetSettings:11'}, 'default_factory': lambda: made(BudgetSettings, {'coverage_gate': 'off'}), 'default_factory_takes_data': False}}, 'funding': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'list', 'items_schema': {'type': 'model', 'cls': FundingLine, 'schema': {'type': 'model-fields', 'fields': {'funder': {'type': 'model-field', 'schema': {'type': 'str', 'pattern': '^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$'}}, 'amount': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': amounts.to_amount}, 'schema': {'type': 'decimal'}}}, 'default': None}}, 'period': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'model', 'cls': Period, 'schema': {'type': 'model-fields', 'fields': {'from_': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'default': None}, 'validation_alias': 'from', 'serialization_alias': 'from'}, 'to': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': values.iso_date_hint}, 'schema': {'type': 'date'}}}, 'default': None}}}, 'model_name': 'Period', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Period'}, 'ref': 'zyklus.models.Period:12'}}, 'default': None}}, 'status': {'type': 'model-field', 'schema': {'type': 'literal', 'expected': ['planned', 'applied', 'granted', 'rejected']}}, 'reference': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'own_share': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'function-before', 'function': {'type': 'no-info', 'function': amounts.to_amount}, 'schema': {'type': 'decimal'}}}, 'default': None}}, 'note': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'nullable', 'schema': {'type': 'str'}}, 'default': None}}, 'illustrative': {'type': 'model-field', 'schema': {'type': 'default', 'schema': {'type': 'bool'}, 'default': False}}}, 'model_name': 'FundingLine', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'FundingLine'}, 'ref': 'zyklus.models.FundingLine:13'}}, 'default_factory': values.new_list, 'default_factory_takes_data': False}}}, 'model_name': 'Workspace', 'computed_fields': []}, 'custom_init': False, 'root_model': False, 'config': {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Workspace'}}, 'ref': 'zyklus.models.Workspace:14'}, {'strict': True, 'extra_fields_behavior': 'forbid', 'validate_by_alias': True, 'validate_by_name': True, 'title': 'Workspace'}),
}

FIELDS = {'Card': {'names': ['id',
                    'title',
                    'areas',
                    'target_groups',
                    'themes',
                    'duration',
                    'start',
                    'end',
                    'description',
                    'audience',
                    'actors',
                    'synergies',
                    'needs',
                    'existing_offers',
                    'needs_check_note',
                    'goals',
                    'resources',
                    'milestones',
                    'visibility',
                    'internal',
                    'funding'],
          'fields': {'id': {},
                     'title': {},
                     'areas': {'item': {}},
                     'target_groups': {'item': {}},
                     'themes': {'item': {}},
                     'duration': {},
                     'start': {},
                     'end': {},
                     'description': {},
                     'audience': {},
                     'actors': {'item': {'names': ['partner', 'role'],
                                         'fields': {'partner': {}, 'role': {}}}},
                     'synergies': {'item': {}},
                     'needs': {'item': {'names': ['statement', 'evidence', 'sources'],
                                        'fields': {'statement': {},
                                                   'evidence': {'item': {'names': ['area',
                                                                                   'indicator',
                                                                                   'period'],
                                                                         'fields': {'area': {},
                                                                                    'indicator': {},
                                                                                    'period': {}}}},
                                                   'sources': {'item': {'names': ['kind',
                                                                                  'with',
                                                                                  'date',
                                                                                  'note',
                                                                                  'illustrative'],
                                                                        'fields': {'kind': {},
                                                                                   'with_': {},
                                                                                   'with': {},
                                                                                   'date': {},
                                                                                   'note': {},
                                                                                   'illustrative': {}}}}}}},
                     'existing_offers': {'item': {}},
                     'needs_check_note': {},
                     'goals': {'item': {'names': ['id',
                                                  'statement',
                                                  'indicator',
                                                  'unit',
                                                  'baseline',
                                                  'target',
                                                  'area',
                                                  'level',
                                                  'contributes_to'],
                                        'fields': {'id': {},
                                                   'statement': {},
                                                   'indicator': {},
                                                   'unit': {},
                                                   'baseline': {'names': ['value', 'date'],
                                                                'fields': {'value': {},
                                                                           'date': {}}},
                                                   'target': {'names': ['value', 'date'],
                                                              'fields': {'value': {}, 'date': {}}},
                                                   'area': {},
                                                   'level': {},
                                                   'contributes_to': {'item': {}}}}},
                     'resources': {'names': ['staff_fte', 'budget_eur', 'cost_per_year', 'notes'],
                                   'fields': {'staff_fte': {},
                                              'budget_eur': {},
                                              'cost_per_year': {'item': {}},
                                              'notes': {}}},
                     'milestones': {'item': {'names': ['id', 'title', 'due'],
                                             'fields': {'id': {}, 'title': {}, 'due': {}}}},
                     'visibility': {},
                     'internal': {'item': {}},
                     'funding': {'item': {'names': ['funder',
                                                    'amount',
                                                    'period',
                                                    'status',
                                                    'reference',
                                                    'own_share',
                                                    'note',
                                                    'illustrative'],
                                          'fields': {'funder': {},
                                                     'amount': {},
                                                     'period': {'names': ['from', 'to'],
                                                                'fields': {'from_': {},
                                                                           'from': {},
                                                                           'to': {}}},
                                                     'status': {},
                                                     'reference': {},
                                                     'own_share': {},
                                                     'note': {},
                                                     'illustrative': {}}}}}},
 'Workspace': {'names': ['name',
                         'language',
                         'current_cycle',
                         'city',
                         'target_groups',
                         'strategic_goals',
                         'indicators',
                         'thresholds',
                         'traffic_light',
                         'selections',
                         'data',
                         'illustrative',
                         'decision_bodies',
                         'site',
                         'partners',
                         'funders',
                         'budget',
                         'funding'],
               'fields': {'name': {},
                          'language': {},
                          'current_cycle': {},
                          'city': {},
                          'target_groups': {'item': {'names': ['id', 'label', 'description'],
                                                     'fields': {'id': {},
                                                                'label': {'item': {}},
                                                                'description': {}}}},
                          'strategic_goals': {'item': {'names': ['id',
                                                                 'title',
                                                                 'statement',
                                                                 'target_groups',
                                                                 'source'],
                                                       'fields': {'id': {},
                                                                  'title': {'item': {}},
                                                                  'statement': {},
                                                                  'target_groups': {'item': {}},
                                                                  'source': {}}}},
                          'indicators': {'item': {'names': ['id',
                                                            'label',
                                                            'unit',
                                                            'direction',
                                                            'aggregation',
                                                            'source',
                                                            'kind',
                                                            'reference',
                                                            'sd',
                                                            'categories',
                                                            'base',
                                                            'min_base'],
                                                  'fields': {'id': {},
                                                             'label': {'item': {}},
                                                             'unit': {},
                                                             'direction': {},
                                                             'aggregation': {},
                                                             'source': {},
                                                             'kind': {},
                                                             'reference': {},
                                                             'sd': {},
                                                             'categories': {'item': {}},
                                                             'base': {},
                                                             'min_base': {}}}},
                          'thresholds': {'names': ['hotspot_ratio',
                                                   'at_tolerance',
                                                   'sd_hotspot',
                                                   'sd_at'],
                                         'fields': {'hotspot_ratio': {},
                                                    'at_tolerance': {},
                                                    'sd_hotspot': {},
                                                    'sd_at': {}}},
                          'traffic_light': {'names': ['stuck_days',
                                                      'stuck_red_days',
                                                      'overdue_red_days'],
                                            'fields': {'stuck_days': {},
                                                       'stuck_red_days': {},
                                                       'overdue_red_days': {}}},
                          'selections': {'item': {'names': ['id', 'label', 'areas', 'description'],
                                                  'fields': {'id': {},
                                                             'label': {'item': {}},
                                                             'areas': {'item': {}},
                                                             'description': {}}}},
                          'data': {'names': ['delimiter',
                                             'decimal',
                                             'encoding',
                                             'suppressed',
                                             'missing'],
                                   'fields': {'delimiter': {},
                                              'decimal': {},
                                              'encoding': {},
                                              'suppressed': {'item': {}},
                                              'missing': {'item': {}}}},
                          'illustrative': {},
                          'decision_bodies': {'item': {'names': ['id',
                                                                 'label',
                                                                 'description',
                                                                 'source',
                                                                 'required_for'],
                                                       'fields': {'id': {},
                                                                  'label': {'item': {}},
                                                                  'description': {},
                                                                  'source': {},
                                                                  'required_for': {'item': {}}}}},
                          'site': {'names': ['default_visibility'],
                                   'fields': {'default_visibility': {}}},
                          'partners': {'item': {'names': ['id',
                                                          'name',
                                                          'kind',
                                                          'level',
                                                          'contact',
                                                          'note'],
                                                'fields': {'id': {},
                                                           'name': {},
                                                           'kind': {},
                                                           'level': {'item': {}},
                                                           'contact': {},
                                                           'note': {}}}},
                          'funders': {'item': {'names': ['id', 'name', 'kind', 'partner', 'note'],
                                               'fields': {'id': {},
                                                          'name': {},
                                                          'kind': {},
                                                          'partner': {},
                                                          'note': {}}}},
                          'budget': {'names': ['coverage_gate'], 'fields': {'coverage_gate': {}}},
                          'funding': {'item': {'names': ['funder',
                                                         'amount',
                                                         'period',
                                                         'status',
                                                         'reference',
                                                         'own_share',
                                                         'note',
                                                         'illustrative'],
                                               'fields': {'funder': {},
                                                          'amount': {},
                                                          'period': {'names': ['from', 'to'],
                                                                     'fields': {'from_': {},
                                                                                'from': {},
                                                                                'to': {}}},
                                                          'status': {},
                                                          'reference': {},
                                                          'own_share': {},
                                                          'note': {},
                                                          'illustrative': {}}}}}}}
