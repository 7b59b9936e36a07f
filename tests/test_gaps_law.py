"""A made-up law (jurisdiction ZZ, its part ZZ-A, and ZQ with no law) and case builders for the gap tests.

Each provision version is modelled from the element semantics of model-notes.md, not from any answer:
the tests change one fact of a case and check that the finding appears or goes away.
"""

from __future__ import annotations

import pyoxigraph as ox

from deepfake_kg.namespaces import GRAPH, KB_GRAPH, ONTOLOGY_GRAPH
from deepfake_kg.paths import KB_DIR, ontology_files
from deepfake_kg.store import EmbeddedStore

PREFIXES = """
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
@prefix id: <https://w3id.org/deepfake-kg/id/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

PROVISIONS = PREFIXES + """
id:jurisdiction\\/ZZ a dfk:Jurisdiction ; dfk:jurisdictionCode "ZZ" ; dfk:lawAppliesIn id:jurisdiction\\/ZZ-A .
id:jurisdiction\\/ZZ-A a dfk:Jurisdiction ; dfk:jurisdictionCode "ZZ-A" ; dfk:isPartOfJurisdiction id:jurisdiction\\/ZZ .
id:jurisdiction\\/ZQ a dfk:Jurisdiction ; dfk:jurisdictionCode "ZQ" .

id:instrument\\/zz-code a dfk:Statute ; dct:title "ZZ Test Code" ; dfk:hasJurisdiction id:jurisdiction\\/ZZ .

# criminal: spreading sexual deepfakes past a dissemination threshold
id:provision\\/zz-obscene a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. 1" ;
    dct:title "spreading obscene material" ; dfk:hasVersion id:provision\\/zz-obscene\\/v\\/2010-01-01 .
id:provision\\/zz-obscene\\/v\\/2010-01-01 a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ; dfk:validFrom "2010-01-01"^^xsd:date ;
    dfk:hasNormKind dfk:OffenceNorm ; dfk:hasSanctionKind dfk:CriminalSanction ; dfk:addressee dfk:Perpetrator ;
    dfk:hasElement [ a dfk:ConductElement ; dfk:hasCondition [ dfk:onField dfk:hasAct ; dfk:acceptsValue dfk:Disseminate ] ] ,
        [ a dfk:ContentElement ; dfk:hasCondition [ dfk:onField dfk:hasContentType ; dfk:acceptsValue dfk:SexualContent ] ] ,
        [ a dfk:ThresholdElement ; dfk:hasCondition [ dfk:onField dfk:viewCount ; dfk:minimumValue 5000 ] ,
                                                   [ dfk:onField dfk:repostCount ; dfk:minimumValue 500 ] ] .

# criminal: illegally obtaining or selling personal information (obtaining and transferring only)
id:provision\\/zz-personal-info a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. 2" ;
    dct:title "infringing personal information" ; dfk:hasVersion id:provision\\/zz-personal-info\\/v\\/2010-01-01 .
id:provision\\/zz-personal-info\\/v\\/2010-01-01 a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ; dfk:validFrom "2010-01-01"^^xsd:date ;
    dfk:hasNormKind dfk:OffenceNorm ; dfk:hasSanctionKind dfk:CriminalSanction ; dfk:addressee dfk:Perpetrator ;
    dfk:coversDataStage dfk:ObtainingStage , dfk:TransferringStage ;
    dfk:hasElement [ a dfk:DataCategoryElement ; dfk:hasCondition [ dfk:onField dfk:hasBiometricCategory ;
            dfk:acceptsValue dfk:FacialBiometric , dfk:VoiceBiometric , dfk:FingerprintBiometric , dfk:IrisBiometric ] ] ,
        [ a dfk:DataSourceElement ; dfk:hasCondition [ dfk:onField dfk:hasDataSource ; dfk:acceptsValue dfk:Stolen , dfk:Purchased ] ] .

# criminal: defamation, in force 2000-01-01 until 2020-07-01 (exclusive)
id:provision\\/zz-defamation a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. 3" ;
    dct:title "defamation" ; dfk:hasVersion id:provision\\/zz-defamation\\/v\\/2000-01-01 .
id:provision\\/zz-defamation\\/v\\/2000-01-01 a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ; dfk:validFrom "2000-01-01"^^xsd:date ; dfk:validUntil "2020-07-01"^^xsd:date ;
    dfk:hasNormKind dfk:OffenceNorm ; dfk:hasSanctionKind dfk:CriminalSanction ; dfk:addressee dfk:Perpetrator ;
    dfk:hasElement [ a dfk:ConductElement ; dfk:hasCondition [ dfk:onField dfk:hasAct ; dfk:acceptsValue dfk:Disseminate ] ] ,
        [ a dfk:ContentElement ; dfk:hasCondition [ dfk:onField dfk:hasContentType ; dfk:acceptsValue dfk:DefamatoryContent ] ] ,
        [ a dfk:ResultElement ; dfk:hasCondition [ dfk:onField dfk:hasHarm ; dfk:acceptsValue dfk:ReputationalHarm ] ] .

# civil: portrait right
id:provision\\/zz-portrait a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. 4" ;
    dct:title "portrait right" ; dfk:hasVersion id:provision\\/zz-portrait\\/v\\/2010-01-01 .
id:provision\\/zz-portrait\\/v\\/2010-01-01 a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ; dfk:validFrom "2010-01-01"^^xsd:date ;
    dfk:hasNormKind dfk:CivilLiabilityNorm ; dfk:hasSanctionKind dfk:CivilSanction ; dfk:addressee dfk:Perpetrator ;
    dfk:hasElement [ a dfk:ConductElement ; dfk:hasCondition [ dfk:onField dfk:hasAct ; dfk:acceptsValue dfk:Create , dfk:Disseminate ] ] ,
        [ a dfk:ConsentElement ; dfk:hasCondition [ dfk:onField dfk:hasSubjectConsent ; dfk:acceptsValue dfk:No ] ] .

# obligation with no sanction: label synthetic content before spreading it
id:provision\\/zz-label a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. 5" ;
    dct:title "labelling synthetic content" ; dfk:hasVersion id:provision\\/zz-label\\/v\\/2010-01-01 .
id:provision\\/zz-label\\/v\\/2010-01-01 a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ; dfk:validFrom "2010-01-01"^^xsd:date ;
    dfk:hasNormKind dfk:ObligationNorm ; dfk:hasSanctionKind dfk:NoSanction ; dfk:addressee dfk:Perpetrator ;
    dfk:hasElement [ a dfk:ConductElement ; dfk:hasCondition [ dfk:onField dfk:hasAct ; dfk:acceptsValue dfk:Disseminate ] ] ,
        [ a dfk:LabelElement ; dfk:hasCondition [ dfk:onField dfk:isLabelledSynthetic ; dfk:acceptsValue dfk:No ] ] .

# administrative: a platform that keeps content after a regulator's order
id:provision\\/zz-platform a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. 6" ;
    dct:title "platform removal on order" ; dfk:hasVersion id:provision\\/zz-platform\\/v\\/2010-01-01 .
id:provision\\/zz-platform\\/v\\/2010-01-01 a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ; dfk:validFrom "2010-01-01"^^xsd:date ;
    dfk:hasNormKind dfk:AdministrativeViolationNorm ; dfk:hasSanctionKind dfk:AdministrativeSanction ; dfk:addressee dfk:PlatformRole ;
    dfk:hasElement [ a dfk:TriggerElement ; dfk:hasCondition [ dfk:onField dfk:hasPlatformNotice ; dfk:acceptsValue dfk:RegulatorNotice ] ] ,
        [ a dfk:RemovalElement ; dfk:hasCondition [ dfk:onField dfk:wasRemovedByPlatform ; dfk:acceptsValue dfk:No ] ] .

# a proposal (not law): criminal protection of biometric identity against unconsented use
id:instrument\\/zz-reform a dfk:ReformProposal ; dct:title "ZZ Test Reform" ; dfk:hasJurisdiction id:jurisdiction\\/ZZ .
id:provision\\/zz-biometric-identity a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-reform ; dfk:localIdentifier "Proposal 1" ;
    dct:title "misusing biometric identity" ; dfk:hasVersion id:provision\\/zz-biometric-identity\\/v\\/proposed .
id:provision\\/zz-biometric-identity\\/v\\/proposed a dfk:ProvisionVersion ; dfk:hasStatus dfk:Proposed ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ;
    dfk:hasNormKind dfk:OffenceNorm ; dfk:hasSanctionKind dfk:CriminalSanction ; dfk:addressee dfk:Perpetrator ;
    dfk:coversDataStage dfk:UsingStage ;
    dfk:hasElement [ a dfk:DataCategoryElement ; dfk:hasCondition [ dfk:onField dfk:hasBiometricCategory ;
            dfk:acceptsValue dfk:FacialBiometric , dfk:VoiceBiometric , dfk:GaitBiometric , dfk:BodyBiometric ] ] ,
        [ a dfk:ConductElement ; dfk:hasCondition [ dfk:onField dfk:hasAct ; dfk:acceptsValue dfk:Create , dfk:Disseminate ] ] ,
        [ a dfk:ConsentElement ; dfk:hasCondition [ dfk:onField dfk:hasSubjectConsent ; dfk:acceptsValue dfk:No ] ] .
"""

DOMAINS = ("Fraud", "Extortion", "Defamation", "Harassment", "IntimateImage", "ChildSexualAbuseMaterial", "Obscenity",
           "PersonalData", "Impersonation", "ComputerMisuse", "ElectionIntegrity", "PersonalityRights", "PlatformDuties",
           "LabellingDuties")
SANCTION_KINDS = ("Criminal", "Administrative", "Civil")


def scope_turtle(declared: dict[tuple[str, str, str], str] | None = None, default: str | None = "CompleteModel",
                 known: dict[tuple[str, str, str], str] | None = None,
                 jurisdictions: tuple[str, ...] = ("ZZ", "ZZ-A")) -> str:
    """Modelling-scope declarations (by default for ZZ and ZZ-A): `default` completeness for every (jurisdiction,
    domain, sanction kind) not in `declared`, None for no declaration; `known` names an unmodelled provision."""
    declared, known = declared or {}, known or {}
    lines = []
    for jurisdiction in jurisdictions:
        for domain in DOMAINS:
            for kind in SANCTION_KINDS:
                key = (jurisdiction, domain, kind)
                completeness = declared.get(key, default)
                if completeness is None:
                    continue
                unmodelled = (f' ; dfk:knownUnmodelledProvision [ a dfk:UnmodelledProvision ; dfk:citation "{known[key]}" ]'
                              if key in known else "")
                lines.append(f'id:scope\\/{jurisdiction}-{domain}-{kind} a dfk:ModellingScope ; '
                             f'dfk:scopeJurisdiction id:jurisdiction\\/{jurisdiction} ; dfk:scopeDomain dfk:{domain}Domain ; '
                             f'dfk:scopeSanctionKind dfk:{kind}Sanction ; dfk:scopeFrom "1990-01-01"^^xsd:date ; '
                             f'dfk:hasCompleteness dfk:{completeness} ; dct:source <https://example.org/zz-code>{unmodelled} .')
    return PREFIXES + "\n".join(lines) + "\n"


LAW = PROVISIONS + scope_turtle()  # the made-up law, declared completely modelled in every domain

CODES = {
    "acts": ("hasAct", {"create": "Create", "disseminate": "Disseminate", "impersonate": "Impersonate", "sell_content": "SellContent"}),
    "biometric_data": ("hasBiometricCategory", {"facial": "FacialBiometric", "voice": "VoiceBiometric", "gait": "GaitBiometric"}),
    "data_source": ("hasDataSource", {"public_online": "PublicOnline", "stolen": "Stolen", "own_capture": "OwnCapture",
                                      "unknown": "DataSourceUnknown"}),
    "content_type": ("hasContentType", {"sexual": "SexualContent", "political": "PoliticalContent",
                                        "defamatory": "DefamatoryContent", "parody": "ParodyContent"}),
    "subject_consent": ("hasSubjectConsent", {"yes": "Yes", "no": "No", "unknown": "Unknown"}),
    "harms": ("hasHarm", {"psychological": "PsychologicalHarm", "reputational": "ReputationalHarm", "none": "NoHarm",
                          "property_loss": "PropertyLoss", "sexual_exploitation": "SexualExploitation"}),
    "labelled_synthetic": ("isLabelledSynthetic", {"yes": "Yes", "no": "No", "unknown": "Unknown"}),
    "platform_notice": ("hasPlatformNotice", {"victim": "VictimNotice", "regulator": "RegulatorNotice", "none": "NoNotice",
                                              "unknown": "NoticeUnknown"}),
    "platform_removed": ("wasRemovedByPlatform", {"yes": "Yes", "no": "No", "unknown": "Unknown"}),
    "realism": ("hasRealism", {"low": "LowRealism", "medium": "MediumRealism", "high": "HighRealism"}),
    "intent": ("hasIntent", {"profit": "ProfitIntent", "harassment": "HarassmentIntent"}),
}
NUMBERS = {"views": "viewCount", "reposts": "repostCount"}

BASE_CASE = {
    "jurisdiction": "ZZ", "act_date": "2024-05-10", "acts": ["create", "disseminate"], "biometric_data": ["facial"],
    "data_source": "own_capture", "content_type": ["political"], "subject_consent": "no", "harms": ["psychological"],
    "labelled_synthetic": "yes",
}


def case_turtle(case_id: str, draft: bool = False, **fields: object) -> str:
    """Turtle of one case record in the ontology's own terms; `None` drops a field of the base case."""
    record = {**BASE_CASE, **fields}
    lines = [f'id:case\\/{case_id} a dfk:{"DraftCaseRecord" if draft else "CaseRecord"} ; dfk:caseId "{case_id}" ;',
             f'    dct:title "test case {case_id}" ; dct:source <https://example.org/source/{case_id}> ;',
             f'    dfk:hasJurisdiction id:jurisdiction\\/{record["jurisdiction"]} ;']
    if record.get("act_date") is not None:
        lines.append(f'    dfk:actDate "{record["act_date"]}" ;')
    for name, (prop, codes) in CODES.items():
        values = record.get(name)
        if values is None:
            continue
        for value in [values] if isinstance(values, str) else values:
            lines.append(f"    dfk:{prop} dfk:{codes[value]} ;")
    for name, prop in NUMBERS.items():
        if record.get(name) is not None:
            lines.append(f"    dfk:{prop} {int(record[name])} ;")
    lines[-1] = lines[-1].rstrip(" ;") + " ."
    return "\n".join(lines) + "\n"


SCOPE_RULES = (KB_DIR / "scope" / "engagement.ttl", KB_DIR / "scope" / "gap-types.ttl")  # the engine's own data


def make_store(*turtle: str) -> EmbeddedStore:
    """An in-memory store with the ontology, the knowledge base's scope rules (which facts engage which domains,
    which declarations each gap type needs) and the given Turtle (prefixes added), each in its own graph."""
    store = EmbeddedStore(None)
    for path in ontology_files():
        store.oxigraph.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    for path in SCOPE_RULES:
        store.oxigraph.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(KB_GRAPH)))
    for number, text in enumerate(turtle):
        store.oxigraph.load(PREFIXES + text, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{GRAPH}test/{number}"))
    return store
