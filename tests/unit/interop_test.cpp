// The standard exports (EDXL-HAVE 1.0, CAP 1.2) as text. Their validity against the official
// schemas is checked with xmllint in tests/integration/interop.test.mjs.
#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "lagesbild/interop/cap.h"
#include "lagesbild/interop/have.h"
#include "lagesbild/interop/have_read.h"
#include "lagesbild/interop/xml_writer.h"
#include "test_support.h"

using namespace lagesbild;

namespace {

// Names with XML's special characters and å/ä/ö, a position, a 72-hour figure.
const char* const kConfig = R"json({
  "healthcare_region": {"id": "prov", "name": "Provregionen"},
  "regions": [
    {"id": "vast", "name": "Region <Väst> & Co", "hospitals": [
      {"id": "ost", "name": "Östra \"sjukhuset\" & Å'S", "town": "Göteborg",
       "position": {"lat": 57.7205, "lon": 12.0526, "source": "test"},
       "beds": {"AdultICU": {"baseline": 10, "surge24h": 4, "surge72h": 9},
                "Burn": {"baseline": 3}},
       "reception_baseline": {"P1": 3}}]},
    {"id": "norr", "name": "Region Norr", "hospitals": [
      {"id": "fjall", "name": "Fjällsjukhuset", "beds": {"AdultICU": {"baseline": 2}}}]}
  ]})json";

const HealthcareRegionConfig& Config() {
  static const HealthcareRegionConfig config = [] {
    auto parsed = ParseConfig(kConfig, "prov.json");
    if (!parsed.ok()) throw std::runtime_error(parsed.error().message);
    return std::move(parsed).value();
  }();
  return config;
}

void Accept(SpaceState& state, const Command& command) {
  Decision decision = Decide(Config(), state, command);
  if (!decision.ok()) FAIL(decision.error->message);
  for (const Event& event : decision.events) REQUIRE_FALSE(Apply(Config(), state, event));
}

// The text with the line breaks and indentation between elements taken out.
std::string Squash(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out += text[i];
      continue;
    }
    while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
  }
  return out;
}

// Whether `part` is in the document, line breaks and indentation aside.
bool Has(const std::string& text, const std::string& part) {
  return Squash(text).find(Squash(part)) != std::string::npos;
}

constexpr TimeMs kAt = 1795428900000;  // 2026-11-23T10:15:00Z

}  // namespace

TEST_CASE("XML text is escaped, and what XML 1.0 forbids is left out") {
  CHECK(xml::Escape("a&b<c>\"d'e") == "a&amp;b&lt;c&gt;&quot;d&apos;e");
  CHECK(xml::Escape("Åsa & Örjan") == "Åsa &amp; Örjan");
  CHECK(xml::Escape(std::string("x\x01y\x1Fz\tq\n", 9)) == "xyz\tq\n");
  CHECK(xml::Escape("\xC3") == "");                 // a lead byte alone
  CHECK(xml::Escape("a\xC0\xAFz") == "az");         // overlong '/'
  CHECK(xml::Escape("a\xED\xA0\x80z") == "az");     // a surrogate
  CHECK(xml::Escape("a\xEF\xBF\xBEz") == "az");     // U+FFFE
  CHECK(xml::Escape("\xF0\x9F\x9A\x91") == "\xF0\x9F\x9A\x91");  // an ambulance emoji stays
}

TEST_CASE("XML times have whole seconds and a numeric offset") {
  CHECK(xml::DateTime(0) == "1970-01-01T00:00:00+00:00");
  CHECK(xml::DateTime(kAt + 999) == "2026-11-23T10:15:00+00:00");
  CHECK(xml::DateTime(-1) == "1969-12-31T23:59:59+00:00");
}

TEST_CASE("surge72h: the configuration's, at least surge24h, and kept so by reports") {
  const HospitalConfig& ost = Config().hospitals[0];
  CHECK(ost.beds[Index(BedType::kAdultICU)].surge72h == 9);
  CHECK(ost.beds[Index(BedType::kBurn)].surge72h == 0);
  CHECK(Config().hospitals[1].position == std::nullopt);
  REQUIRE(ost.position);
  CHECK(ost.position->lat == Approx(57.7205));

  auto below = ParseConfig(R"({"healthcare_region": {"id": "x", "name": "X"}, "regions": [
      {"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H",
       "beds": {"AdultICU": {"baseline": 5, "surge24h": 4, "surge72h": 3}}}]}]})", "x.json");
  REQUIRE_FALSE(below.ok());
  CHECK(Has(below.error().message, "beds.AdultICU.surge72h: must be an integer from 4"));
  auto far = ParseConfig(R"({"healthcare_region": {"id": "x", "name": "X"}, "regions": [
      {"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H",
       "position": {"lat": 91, "lon": 0, "source": "s"}}]}]})", "x.json");
  REQUIRE_FALSE(far.ok());
  CHECK(Has(far.error().message, "position.lat: must be a number of degrees from -90 to 90"));

  SpaceState state = InitialState(Config(), kLiveSpace, false);
  CapacityReport report;
  report.hospital = "ost";
  report.beds[Index(BedType::kAdultICU)] = BedReport{std::nullopt, std::nullopt, 5, 4};
  Decision refused = Decide(Config(), state, Command{testing::Admin(), kAt, report});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error->code == "invalid_value");
  CHECK(refused.error->field == "beds.AdultICU.surge72h");

  report.beds[Index(BedType::kAdultICU)] = BedReport{std::nullopt, std::nullopt, 12, std::nullopt};
  Accept(state, Command{testing::Admin(), kAt, report});
  CHECK(state.hospitals[0].beds[Index(BedType::kAdultICU)].surge72h == 12);  // raised with it
  report.beds[Index(BedType::kAdultICU)] = BedReport{std::nullopt, std::nullopt, std::nullopt, 20};
  Accept(state, Command{testing::Admin(), kAt, report});
  CHECK(state.hospitals[0].beds[Index(BedType::kAdultICU)].surge72h == 20);
}

TEST_CASE("the HAVE document of live: every hospital, escaped, with what was reported") {
  SpaceState state = InitialState(Config(), kLiveSpace, false);
  CapacityReport report;
  report.hospital = "ost";
  report.beds[Index(BedType::kAdultICU)] = BedReport{0, std::nullopt, std::nullopt, std::nullopt};
  report.ed_status = EdStatus::kDiversion;
  report.reception[Index(Triage::kP1)] = 2;
  report.readiness = ReadinessLevel::kReinforced;
  Accept(state, Command{testing::Admin("tib-vast"), kAt, report});

  const std::string all = HaveDocument(Config(), state, HaveRequest{std::nullopt, kAt + 60000, false});
  CHECK(all.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HospitalStatus xmlns=\"urn:oasis:names:tc:emergency:EDXL:HAVE:1.0\"", 0) == 0);
  CHECK_FALSE(Has(all, "EDXLDistribution"));
  CHECK_FALSE(Has(all, "ÖVNING"));
  CHECK(Has(all, "<xnl:NameElement>Östra &quot;sjukhuset&quot; &amp; Å&apos;S</xnl:NameElement>"));
  CHECK(Has(all, "<CommentText>Region &lt;Väst&gt; &amp; Co, Göteborg</CommentText>"));
  CHECK(Has(all, "<xpil:IdentifierElement>ost</xpil:IdentifierElement>"));
  CHECK(Has(all, "<gml:pos>57.720500 12.052600</gml:pos>"));
  CHECK(Has(all, "<EMSTrafficStatus>Closed</EMSTrafficStatus>"));
  CHECK(Has(all, "<EMSTrafficReason>Stängd för ambulans (omdirigering)</EMSTrafficReason>"));
  CHECK(Has(all, "<TriageCodeValue>Red</TriageCodeValue>\n            <TriageCountQuantity>2</TriageCountQuantity>"));
  CHECK(Has(all, "<BedType>AdultICU</BedType>\n          <Capacity>\n            <CapacityStatus>NotAvailable</CapacityStatus>\n            <AvailableCount>0</AvailableCount>\n            <BaselineCount>10</BaselineCount>\n            <AdditionalCapacityCount24Hr>4</AdditionalCapacityCount24Hr>\n            <AdditionalCapacityCount72Hr>9</AdditionalCapacityCount72Hr>"));
  CHECK(Has(all, "<HospitalEOCStatus>Active</HospitalEOCStatus>\n        <HospitalEOCPlan>Active</HospitalEOCPlan>"));
  CHECK(Has(all, "<LastUpdateTime>2026-11-23T10:15:00+00:00</LastUpdateTime>"));
  // The hospital never reported: baselines only, at the document's time, EOC inactive.
  CHECK(Has(all, "<LastUpdateTime>2026-11-23T10:16:00+00:00</LastUpdateTime>"));
  CHECK(Has(all, "<HospitalEOCStatus>Inactive</HospitalEOCStatus>"));

  const std::string one = HaveDocument(Config(), state, HaveRequest{1, kAt, false});
  CHECK(Has(one, "Fjällsjukhuset"));
  CHECK_FALSE(Has(one, "sjukhuset&quot;"));
  const std::string wrapped = HaveDocument(Config(), state, HaveRequest{std::nullopt, kAt, true});
  CHECK(Has(wrapped, "<distributionStatus>Actual</distributionStatus>"));
  CHECK(Has(wrapped, "<embeddedXMLContent>\n<HospitalStatus"));
}

TEST_CASE("the HAVE document of an exercise travels in EDXL-DE with distributionStatus Exercise") {
  SpaceState state = InitialState(Config(), "ovning-1", true);
  const std::string text = HaveDocument(Config(), state, HaveRequest{std::nullopt, kAt, false});
  CHECK(text.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EDXLDistribution xmlns=\"urn:oasis:names:tc:emergency:EDXL:DE:1.0\">", 0) == 0);
  CHECK(Has(text, "<distributionStatus>Exercise</distributionStatus>"));
  CHECK(Has(text, "<CommentText>ÖVNING – övningen ovning-1"));
  CHECK(text.find("<?xml", 1) == std::string::npos);  // one declaration only
}

TEST_CASE("a larm as a CAP alert, and a kvittens as a CAP Ack that references it") {
  SpaceState state = InitialState(Config(), kLiveSpace, false);
  MessageContent larm;
  larm.kind = MessageKind::kAlert;
  larm.to = {"vast", "norr"};
  larm.text = "Trafikolycka <E6> & brand";
  larm.level = ReadinessLevel::kStaff;
  Accept(state, Command{testing::Admin("rssl"), kAt, PostMessage{larm}});
  Accept(state, Command{testing::Reporter("tib-norr", "norr"), kAt + 90000,
                        Acknowledge{MessageId(kLiveSpace, 1), ""}});
  const MessageState& message = state.messages.at(0);

  const std::string alert = CapAlert(Config(), state, message);
  CHECK(Has(alert, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"));
  CHECK(Has(alert, "<identifier>lagesbild.prov.live.1</identifier>"));
  CHECK(Has(alert, "<sent>2026-11-23T10:15:00+00:00</sent>"));
  CHECK(Has(alert, "<status>Actual</status>"));
  CHECK(Has(alert, "<msgType>Alert</msgType>"));
  CHECK(Has(alert, "<scope>Private</scope>\n  <addresses>vast norr</addresses>"));
  CHECK(Has(alert, "<language>sv-SE</language>"));
  CHECK(Has(alert, "<event>Larm: Stabsläge</event>"));
  CHECK(Has(alert, "<description>Trafikolycka &lt;E6&gt; &amp; brand</description>"));
  CHECK(Has(alert, "<value>staff</value>"));
  CHECK(Has(alert, "<areaDesc>Region &lt;Väst&gt; &amp; Co</areaDesc>"));
  CHECK(Has(alert, "<areaDesc>Region Norr</areaDesc>"));

  const std::string ack = CapAck(Config(), state, message, "norr");
  CHECK(Has(ack, "<identifier>lagesbild.prov.live.1.ack.norr</identifier>"));
  CHECK(Has(ack, "<sent>2026-11-23T10:16:30+00:00</sent>"));
  CHECK(Has(ack, "<msgType>Ack</msgType>"));
  CHECK(Has(ack, "<references>lagesbild@prov,lagesbild.prov.live.1,2026-11-23T10:15:00+00:00</references>"));
  CHECK(Has(ack, "tib-norr"));

  const auto index = nlohmann::json::parse(CapIndexJson(Config(), state));
  REQUIRE(index["alerts"].size() == 1);
  CHECK(index["alerts"][0]["pending"] == nlohmann::json::array({"vast"}));
  CHECK(index["alerts"][0]["acks"][0]["href"] == "/api/cap?space=live&id=live:1&ack=norr");
  CHECK(index["status"] == "Actual");

  SpaceState drill = InitialState(Config(), "ovning-2", true);
  Accept(drill, Command{testing::Admin("rssl"), kAt, PostMessage{larm}});
  CHECK(Has(CapAlert(Config(), drill, drill.messages.at(0)), "<status>Exercise</status>"));
}

TEST_CASE("a HAVE document read back gives the same figures, as one import through the core") {
  SpaceState source = InitialState(Config(), kLiveSpace, false);
  CapacityReport report;
  report.hospital = "ost";
  report.beds[Index(BedType::kAdultICU)] = BedReport{3, std::nullopt, 6, 11};
  report.ed_status = EdStatus::kDiversion;
  report.reception = {2, 4, 9};
  Accept(source, Command{testing::Admin(), kAt, report});
  const std::string document = HaveDocument(Config(), source, HaveRequest{std::nullopt, kAt, false});

  auto reading = ReadHave(document);
  REQUIRE(reading.ok());
  REQUIRE(reading->hospitals.size() == 2);
  CHECK(reading->hospitals[0].identifier == "ost");
  CHECK(reading->hospitals[0].name == "Östra \"sjukhuset\" & Å'S");
  CHECK(reading->hospitals[0].last_update == kAt);
  auto import = ImportFromHave(Config(), reading.value(), false);
  REQUIRE(import.ok());
  REQUIRE(import->reports.size() == 2);  // the other hospital's baselines too

  SpaceState target = InitialState(Config(), kLiveSpace, false);
  Decision decision = Decide(Config(), target, Command{testing::Reporter("tib", "vast"), kAt, import.value()});
  REQUIRE_FALSE(decision.ok());  // a reporter of vast may not report for norr's hospital
  CHECK(decision.error->code == "forbidden");
  Decision taken = Decide(Config(), target, Command{testing::Admin("his"), kAt + 1000, import.value()});
  REQUIRE(taken.ok());
  REQUIRE(taken.events.size() == 2);
  CHECK(taken.events[0].seq == 1);
  CHECK(taken.events[1].seq == 2);
  CHECK(std::get<CapacityReported>(taken.events[0].body).via == kViaHave);
  for (const Event& event : taken.events) REQUIRE_FALSE(Apply(Config(), target, event));
  const HospitalState& ost = target.hospitals[0];
  const BedFigure& icu = ost.beds[Index(BedType::kAdultICU)];
  CHECK(icu.available == 3);
  CHECK(icu.surge24h == 6);
  CHECK(icu.surge72h == 11);
  CHECK(ost.ed_status.value == EdStatus::kDiversion);
  CHECK(ost.reception[Index(Triage::kP3)].value == 9);
  CHECK(ost.beds[Index(BedType::kBurn)].baseline == 3);
}

TEST_CASE("a broken HAVE document is refused with every problem and its line, nothing taken") {
  const auto problems = [](const std::string& document) {
    auto reading = ReadHave(document);
    if (reading.ok()) {
      auto import = ImportFromHave(Config(), reading.value(), false);
      if (import.ok()) return std::vector<std::string>{};
      CHECK(import.error().code == "invalid_have");
      return import.error().details;
    }
    CHECK(reading.error().code == "invalid_have");
    return reading.error().details;
  };
  const std::string head =
      "<?xml version=\"1.0\"?>\n<HospitalStatus xmlns=\"urn:oasis:names:tc:emergency:EDXL:HAVE:1.0\" "
      "xmlns:xnl=\"urn:oasis:names:tc:ciq:xnl:3\">\n";
  const auto hospital = [](const std::string& name, const std::string& inside) {
    return "<Hospital><Organization><OrganizationInformation><xnl:OrganisationName><xnl:NameElement>" +
           name + "</xnl:NameElement></xnl:OrganisationName></OrganizationInformation></Organization>\n" +
           inside + "\n<LastUpdateTime>2026-11-23T11:15:00+01:00</LastUpdateTime></Hospital>\n";
  };
  const std::string beds =
      "<HospitalBedCapacityStatus><BedCapacity><BedType>AdultICU</BedType><Capacity>"
      "<AvailableCount>4</AvailableCount></Capacity></BedCapacity></HospitalBedCapacityStatus>";
  CHECK(problems(head + hospital("Fjällsjukhuset", beds) + "</HospitalStatus>").empty());

  CHECK(problems("<HospitalStatus>")[0].find("not well-formed XML") != std::string::npos);
  CHECK(problems("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>")[0].find("DOCTYPE") != std::string::npos);
  CHECK(problems("<HospitalStatus xmlns=\"urn:other\"/>")[0].find("not an EDXL-HAVE 1.0 HospitalStatus") != std::string::npos);
  CHECK(problems(std::string(kMaxHaveBytes + 1, ' '))[0].find("at most") != std::string::npos);

  const std::string bad = head +
      hospital("Fjällsjukhuset",
               "<EmergencyDepartmentStatus><EMSTraffic><EMSTrafficStatus>normal</EMSTrafficStatus></EMSTraffic>"
               "</EmergencyDepartmentStatus>\n<HospitalBedCapacityStatus><BedCapacity><BedType>AdultICU</BedType>"
               "<Capacity><AvailableCount>-2</AvailableCount><BaselineCount>9999999</BaselineCount></Capacity>"
               "</BedCapacity><BedCapacity><BedType>Spaceship</BedType></BedCapacity>"
               "<BedCapacity><BedType>NeonatalICU</BedType></BedCapacity></HospitalBedCapacityStatus>") +
      "</HospitalStatus>";
  const auto found = problems(bad);
  REQUIRE(found.size() == 4);
  CHECK(found[0].rfind("line 4: Hospital[1] (Fjällsjukhuset) EMSTrafficStatus: 'normal' is not Normal", 0) == 0);
  CHECK(found[1].find("BedCapacity[1] AvailableCount: '-2' must be a whole number from 0 to 100000") != std::string::npos);
  CHECK(found[2].find("BaselineCount: '9999999'") != std::string::npos);
  CHECK(found[3].find("BedCapacity[2] BedType: 'Spaceship' is not an EDXL-HAVE bed type") != std::string::npos);

  const auto unknown = problems(head + hospital("Okänt sjukhus", beds) + hospital("Fjällsjukhuset", beds) +
                                hospital("Annat", beds) + "</HospitalStatus>");
  REQUIRE(unknown.size() == 2);
  CHECK(unknown[0] == "Hospital[1] (Okänt sjukhus): no hospital named 'Okänt sjukhus' in Provregionen");
  CHECK(unknown[1].rfind("Hospital[3] (Annat)", 0) == 0);

  CHECK(problems(head + "<Hospital><Organization><OrganizationInformation/></Organization>"
                        "<LastUpdateTime>yesterday</LastUpdateTime></Hospital></HospitalStatus>")[0]
            .find("LastUpdateTime: 'yesterday' is not a date and time with a time zone") != std::string::npos);
}

TEST_CASE("an exercise's HAVE document never feeds live, and its times keep their offsets") {
  SpaceState drill = InitialState(Config(), "ovning-1", true);
  CapacityReport report;
  report.hospital = "fjall";
  report.beds[Index(BedType::kAdultICU)] = BedReport{1, std::nullopt, std::nullopt, std::nullopt};
  Accept(drill, Command{testing::Trainer(), kAt, report});
  auto reading = ReadHave(HaveDocument(Config(), drill, HaveRequest{std::nullopt, kAt, false}));
  REQUIRE(reading.ok());
  CHECK(reading->distribution_status == "Exercise");
  auto into_live = ImportFromHave(Config(), reading.value(), false);
  REQUIRE_FALSE(into_live.ok());
  CHECK(into_live.error().details[0].find("distributionStatus is Exercise") != std::string::npos);
  CHECK(ImportFromHave(Config(), reading.value(), true).ok());

  CHECK(ParseXsdDateTime("2026-11-23T11:15:00+01:00") == kAt);
  CHECK(ParseXsdDateTime("2026-11-23T10:15:00.5Z") == kAt + 500);
  CHECK(ParseXsdDateTime("2026-11-23T05:15:00-05:00") == kAt);
  CHECK(ParseXsdDateTime("2026-11-23T10:15:00") == std::nullopt);
  CHECK(ParseXsdDateTime("2026-11-23T10:15:00+25:00") == std::nullopt);
}
