#include "codec_bench_generated.hpp"

#include <string>

#include "scalars.hpp"

namespace bench {
namespace {

using rapidjson::Value;

bool get_string(const Value& v, std::string& out) {
  if (!v.IsString()) return false;
  out.assign(v.GetString(), v.GetStringLength());
  return true;
}

bool get_binary(const Value& v, std::string& out) {
  if (!v.IsString()) return false;
  int64_t n = opp::codec::base64_decoded_size(v.GetString(), v.GetStringLength());
  if (n < 0) return false;
  out.resize(static_cast<size_t>(n));
  return opp::codec::base64_decode(v.GetString(), v.GetStringLength(),
                                   reinterpret_cast<unsigned char*>(out.data()));
}

void put_binary(const std::string& bytes, rapidjson::Writer<rapidjson::StringBuffer>& w) {
  std::string text(opp::codec::base64_encoded_size(bytes.size()), '\0');
  opp::codec::base64_encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                            text.data());
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace

bool fill(::Simple& out, const Value& json) {
  if (!json.IsObject()) return false;
  for (const auto& m : json.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const Value& v = m.value;
    if (key == "ByteField") {
      if (!v.IsInt()) return false;
      out.__set_ByteField(static_cast<int8_t>(v.GetInt()));
    } else if (key == "I64Field") {
      if (!v.IsInt64()) return false;
      out.__set_I64Field(v.GetInt64());
    } else if (key == "DoubleField") {
      if (!v.IsNumber()) return false;
      out.__set_DoubleField(v.GetDouble());
    } else if (key == "I32Field") {
      if (!v.IsInt()) return false;
      out.__set_I32Field(v.GetInt());
    } else if (key == "StringField") {
      if (!get_string(v, out.StringField)) return false;
      out.__isset.StringField = true;
    } else if (key == "BinaryField") {
      if (!get_binary(v, out.BinaryField)) return false;
      out.__isset.BinaryField = true;
    }
  }
  return true;
}

bool fill(::Nesting& out, const Value& json) {
  if (!json.IsObject()) return false;
  for (const auto& m : json.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const Value& v = m.value;
    if (key == "String") {
      if (!get_string(v, out.String)) return false;
    } else if (key == "ListSimple") {
      if (!v.IsArray()) return false;
      out.ListSimple.resize(v.Size());
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
        if (!fill(out.ListSimple[i], v[i])) return false;
    } else if (key == "Double") {
      if (!v.IsNumber()) return false;
      out.Double = v.GetDouble();
    } else if (key == "I32") {
      if (!v.IsInt()) return false;
      out.I32 = v.GetInt();
    } else if (key == "ListI32") {
      if (!v.IsArray()) return false;
      out.ListI32.clear();
      for (const auto& e : v.GetArray()) {
        if (!e.IsInt()) return false;
        out.ListI32.push_back(e.GetInt());
      }
    } else if (key == "I64") {
      if (!v.IsInt64()) return false;
      out.I64 = v.GetInt64();
    } else if (key == "MapStringString") {
      if (!v.IsObject()) return false;
      out.MapStringString.clear();
      for (const auto& e : v.GetObject()) {
        if (!e.value.IsString()) return false;
        out.MapStringString[e.name.GetString()] = e.value.GetString();
      }
    } else if (key == "SimpleStruct") {
      if (!fill(out.SimpleStruct, v)) return false;
    } else if (key == "MapI32I64") {
      if (!v.IsObject()) return false;
      out.MapI32I64.clear();
      for (const auto& e : v.GetObject()) {
        if (!e.value.IsInt64()) return false;
        out.MapI32I64[std::stoi(e.name.GetString())] = e.value.GetInt64();
      }
    } else if (key == "ListString") {
      if (!v.IsArray()) return false;
      out.ListString.clear();
      for (const auto& e : v.GetArray()) {
        if (!e.IsString()) return false;
        out.ListString.emplace_back(e.GetString(), e.GetStringLength());
      }
    } else if (key == "Binary") {
      if (!get_binary(v, out.Binary)) return false;
    } else if (key == "MapI64String") {
      if (!v.IsObject()) return false;
      out.MapI64String.clear();
      for (const auto& e : v.GetObject()) {
        if (!e.value.IsString()) return false;
        out.MapI64String[std::stoll(e.name.GetString())] = e.value.GetString();
      }
    } else if (key == "ListI64") {
      if (!v.IsArray()) return false;
      out.ListI64.clear();
      for (const auto& e : v.GetArray()) {
        if (!e.IsInt64()) return false;
        out.ListI64.push_back(e.GetInt64());
      }
    } else if (key == "Byte") {
      if (!v.IsInt()) return false;
      out.Byte = static_cast<int8_t>(v.GetInt());
    } else if (key == "MapStringSimple") {
      if (!v.IsObject()) return false;
      out.MapStringSimple.clear();
      for (const auto& e : v.GetObject())
        if (!fill(out.MapStringSimple[e.name.GetString()], e.value)) return false;
    }
  }
  return true;
}

void write_json(const ::Simple& s, rapidjson::Writer<rapidjson::StringBuffer>& w) {
  w.StartObject();
  w.Key("ByteField");
  w.Int(s.ByteField);
  w.Key("I64Field");
  std::string i64 = std::to_string(s.I64Field);  // api.js_conv
  w.String(i64.data(), static_cast<rapidjson::SizeType>(i64.size()));
  w.Key("DoubleField");
  w.Double(s.DoubleField);
  w.Key("I32Field");
  w.Int(s.I32Field);
  w.Key("StringField");
  w.String(s.StringField.data(), static_cast<rapidjson::SizeType>(s.StringField.size()));
  w.Key("BinaryField");
  put_binary(s.BinaryField, w);
  w.EndObject();
}

void write_json(const ::Nesting& n, rapidjson::Writer<rapidjson::StringBuffer>& w) {
  w.StartObject();
  w.Key("String");
  w.String(n.String.data(), static_cast<rapidjson::SizeType>(n.String.size()));
  w.Key("ListSimple");
  w.StartArray();
  for (const auto& s : n.ListSimple) write_json(s, w);
  w.EndArray();
  w.Key("Double");
  w.Double(n.Double);
  w.Key("I32");
  w.Int(n.I32);
  w.Key("ListI32");
  w.StartArray();
  for (int32_t v : n.ListI32) w.Int(v);
  w.EndArray();
  w.Key("I64");
  w.Int64(n.I64);
  w.Key("MapStringString");
  w.StartObject();
  for (const auto& [k, v] : n.MapStringString) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  w.Key("SimpleStruct");
  write_json(n.SimpleStruct, w);
  w.Key("MapI32I64");
  w.StartObject();
  for (const auto& [k, v] : n.MapI32I64) {
    std::string key = std::to_string(k);
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.Int64(v);
  }
  w.EndObject();
  w.Key("ListString");
  w.StartArray();
  for (const auto& s : n.ListString) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  w.EndArray();
  w.Key("Binary");
  put_binary(n.Binary, w);
  w.Key("MapI64String");
  w.StartObject();
  for (const auto& [k, v] : n.MapI64String) {
    std::string key = std::to_string(k);
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  w.Key("ListI64");
  w.StartArray();
  for (int64_t v : n.ListI64) w.Int64(v);
  w.EndArray();
  w.Key("Byte");
  w.Int(n.Byte);
  w.Key("MapStringSimple");
  w.StartObject();
  for (const auto& [k, v] : n.MapStringSimple) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    write_json(v, w);
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace bench
