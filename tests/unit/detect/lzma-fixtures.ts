// Generated with Python 3 `lzma.compress(data, format=lzma.FORMAT_ALONE, filters=[{id: FILTER_LZMA1, …}])`
// from a seeded generator (text with repeats, binary with matches at random distances, long runs).
// `packed` is standard base64 of the .lzma stream; `sha256`/`length` describe the original data.
export const lzmaFixtures: readonly { name: string; packed: string; sha256: string; length: number }[] = [
  { name: 'empty', packed: 'XQAAgAD//////////wCD//v//8AAAAA=', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', length: 0 },
  { name: 'one byte', packed: 'XQAAgAD//////////wA8Qfv////gAAAA', sha256: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', length: 1 },
  {
    name: 'text preset0',
    packed:
      'XQAABAD//////////wAwH0BF8c/e8RRAJjmjsMZzSRsVgT21BGl1CVAo15sCUcCciJJe42zlfOnkR7gvXVJkV6LSWi2Slvi6cZ93IHlYXxNKB0irf8R+oVA9aLgeepzjP6fKskKjNmjwRqQVFLwzmHIjymqUDd7uML28Uz0r1f6V+ok8q+uX7sgLfGxWFfIaPlleYls5+HFEJlB8ju1oO8wBhPFv4o3i0N3eaPL3xAVHt1p9U7Bw1dVnwgaOrPbA3NFQcI/7mbz5ztmx7neE9C1H6JKa/7ccX4KTUi2XOgF/XIWi9cNm9+L5D1e+P7ZpwsFyyDjAtkwxlVqmGL4wfwk10DvcZLuSVveFWfl8NtFWCspmqrRizEweNI0RfF/yw5NwDhZUaUxecF8RkntuzMkOWE+DrImuAeXXeb+Cv7vx0Qv/m8evEn9YFE9CNDwpf/aNGN2xjnJSO+dyJ5mTcjkOPltpiXccua66A/Byz2sp1eb7it5unn20mC7PhWV+0DXgKOSDaWqYnW+J0ERKeASAiXpIdKOwhBLy5AIPreCA6V1h3FGeYWV/XfwzFxLs6K5Iy63203E3LIsejw1FBM9Ecmv5f6UvRhRZxHVLrn1CkNryrQOprL7dkRpV1t7AdmVAI76aJ3kAR5oZ/AyDxe5vRIXIP6dK8BCB4dr3BQBjGXrr29E4zdVLqeh8G4KfImkkvFNL9Q/4iHroRhRn//G4CYV2EomfZ5JrNvV4j3mj9ZLQJkHLaiErXjLqT7V39hU9g2ZyDWOJ1ENsS4jXYWJ7v7/R8AqsW0tC+d9HLp6Tm3NjMkes02AodNLu9RWenIsKMYg92d71B9wOrGHjZcKjj6Jf4y0wlBhb2vuBmWz0vEQU9hFMlR2eBJYkzq0ohKF9TLcp7y4GhLbQw8ym+g4LBv9qbuA1QlytvebPDsAanU2XQUtrzGIfTjam/WH9iD4vJ9eBl0xmc7teJzs/zOyGIF3CRftXXa4Jy3zowsFzIU3I9/BNxG1kdCDfl9ymIjXXrF9GyiGq6wTuKKMG6eZUleGkC6tt0WhP3sPvboJJ3ZJt2Oh/XATDFVQuZl6sT0Vx2gW7h/zXWPSU61BsXoLuv5Uz4EuWwhpDyZxiEefhuVXpegWSTmEB4CMo3v9/9nch7+zVQHDJSBzYqxeJSYYzAMiHB+kRZ+6OkGRr+l/NTkNAS6cKbQ8gqj3Dr/RAmdbmDtYHiQOnA3SazSsvIQyeBkr50TEOFKjNh5rgw9zx1ezuAgkdVox1Diu5NuSG5RWJMiheErWv5BTePQvrpGRUhDg4rph4Ouhzi37Dy9pbeCSMJavbd544bWSWle2qKf+Lszc4',
    sha256: 'e60945c5dba7a1b196dc53e09450d05a932b3a149d5c277c48ae0a1a52ed2f22',
    length: 3143,
  },
  {
    name: 'text preset9e',
    packed:
      'XQAAAAT//////////wAguI+JMRGKa4sQ4iNb+FBZdKZBlAY9GvdQAQi3wDp9cQQr0tFnyKv9r/h+1sD7inOqEdlQ+DGxjqpxct0BIlc0E1dotYxjQncbwaAOiwB3Zs0XKMqMypyRJNgA+ai24fFKNVyZaRMS8jPhUyzp2KAER924UrfnxDiWtV+LQX7zVZ2dvLIX4mZZup0emAw07fZyhde7V3avR7dJYeOKuIZxch3b1eQqy/CIrkcppX0NsyVxaVb1DSMC8f6L3ZhA4eITHo4BabD830vfE/NwDNuFfopNPVwZ1Lym9ZjHxr1uH6i87HQGT/gi1BVqtlkqLYwSf2wOXOdpNoNhj+lp1hQ8CivPeJmRuVXLInc3RQafr5q9R0/FW3pT+aig7DJzM7V0yZ4hqOCX0QIuaEK3WORQm6dxElo0hhgeHJpicCDmc6Ei5alA+t9SG2yjL2Rrf6hoIj30wpwDf7WZ1lpOZrZWr9yARGxPJ6aa1drXhXvZJRO46lH8OjTOp+/CYgghTWMuVGPiSB+L1p1+EpQqPS0MaEHiwcUQf1uUj6nwcKI/EcINclwYnPKKZ7B+uebMkO7byGs4d7Lgk3ATuvF2D5QKbblXdQtiIlsJBsd8Nlo/I6RCU7Trc9zveFBYNV57Tjp73/hcCFQHrk4os2B6P9FuHVrIHXGoWMxctWuLzXRTDKS4+P+xM3xpdZ8ocI8w5dXJ6XexytToFskZmYo2rLw6vEx7yFPmICaoP8OgxfalE4dFL7FWdKdg9pvv9uNWlwkNkqRWLNoM6wHjnvaR+BkgC53u7bD58Gt6+4pZuUH0ICEYBREVTyy718+oU3yZDGeiXvQLiX1YmBgiCmqj7AXB8ZCC2DKJl8s2mXgg6HalN+VECo1qyfwnO4lf09wuCRM5sRrz63vee/6jd8ThAWc6x7xsANQLkO/kDy0Nm/xpZfWuydB98Cl/ckM7c3wNqMy2DMxkau/yq2aGQgbqpRIhBsUy+WpqadnBfY5VwC4LsC4wXaiHWQbNrwQ8sZIuUTJ6mHrfMOqnFUAVj6CQ/nuQS+3Mi7SELeF98KrnoZVL6Pb3ENWxMUkTdPbE4OUSAUEjW29Et7vgw2YtrINGKx+FWpdBNbDLIi5l/f0Mej388SeoIjWMwYUnrq5KLFIsBnC3L3Wo1+QJxXlP9usma/aM2DRA64obg31W/+4xigDrNWEcjJPkYK+iwFvxfEK1u3azxhwcxpPoAnNMwKM1VGTCxXsW3HxW3tZpQHGM5duI8K/uL5se9EJeUqAKmAL7ErPPzDEdWynVupDrWqL8HyVM82na0iBpRlc0T/Jc6c5MUWYwTK3h1k475qQeIR93xjiXIB+m5p2jbXxo0378QT4CJ7d62Yi6gXX85suKdI5LU9sl6XY7FddtKodfNOG9z6AeiuIRvkQhP9mcJsDT7d52jfxwuiTiPx33oM260AajlVsvJl4KFK+VfnYn0wvRVxgiiN9LvZZHCQ6raBTjscHBJZbYkvC6I6UeddipiA0/4wwS6gNhdZ+jbba2OU6kEXZ7VIPLsHQfSq/b5bjMklNypcJX4luwKYYyO41KYRTlQu5rLIb5cC+MIiFzMZhXLDZbTDAt5ULB7TAqYv2IyY0EL5omUE41hcs+RHbKy1vIG+hV3ZTJxhby4bl9szSEOFo1pyDLCzVUv/tTByyza4S6zSwhPbLNfQ5vFMV4l5Cl3KCklKTyJ6S/VOOzOJoKfQe8YqdH1iLHOkWWO48dPMSdCARHGxi6J+kpn0apoEg3plHbcNwmyjws+HsWdsSuiLCurlNaD+YVZlLWjol8qsMSwjCFQayY8BdroAHyIcvjm68ShDUmUT/iSm/EyPZ3rN3YKfQydShBXXcYvZsNXYOjiYb48OwMRE5sLagzUyykPycRuazT4irWLT7UtKA87HRYRr/BrQp0AIfPpclMEkiBXyZZhu8+ZXvGE4qbSowZbWztW5XyK9GJBmEuLQgwhRSu8BQKIEBllyFWsVupVAHLKLxmadmpo0/QxSpCF6ZZpzMbsdn04POlvbZHmdE7IGEVpij2NpksGgA9VYefg3xLV4VCbzto9QMl4zuj6nKhNReR4XuUSdYzUe3daOwwkSwBFCAecziMCCmDyQgSSkLYnsEPeRE6ufGAIKVf1pQ32swbvapkBcHndhwLELeSy2IBpxYPqIa8HE77kpbgoAxzwI8JVAT4lnxQUwYcKf4uzy+LMYzcpwH3N7uIkUyIcVzKybQjJDzPOJaoWM5+HU1Anu/e8iOp5z3CtcPaQ1C16GMhqOZIghUfYYAnELeTIKhi0+gN9rWbyCdybH1ls4VhsjLuNnIkOMZlW88KOXXarTHZucOWVOENs0r+k981h7yDGrcNgYYuAIX4mSMibqdo2iIAH3/b8sWJ4r7tb/ZSyJacvXCvyq9429cqVdbFPHQk73+0QruVoxDFL3uhX/hW/F2lMMlWRGUPW2bvqzpBFdaw66YITcVvgNmglFrPEC3T64qEStyXukOZ+kC+we7j697yNSKVMlxOu+2VbsK439ZgX5s0VUmrbKI7DZzFRmoRhFL+QA/IrMGeR0P6BmpJ2AyCFN36ybTNA6+DJ6RJF8mF6F0s+ZbYTMrC3sR0Ls3by83CwYlEIruZFjZetNKysSO571WAK5q4gN1RLH9llDD0GVSLRYbkFqfhpcgMCIXm/dte5HDU2VcR3DtEa5fkV3WK1dS88MIHdupKt27NLpsxdZM9yZGBtNDyb+IecxYZYQJFQqY3yhRHmpSl4ktH4cDOOeChMVwXYl68cjsy+6YRwN+uHkAVibNaM+BmWRR2eslQaTo7Xq6V/6vHaYNlyIu5eu0yzWNvgUWnj+vnQZqptnPGHHGYKuNP7P025WIS8fNkKsc1q/SgPlAGmCzN98kXlYoFYZFHc8Pt7vh2kPDacUOnA+u6DiGybR7smyu2zBIAn5ZLEjqoQTJJtK91BQSiQ0ui2Y876D+9dVnBCdBdkofSqeEMhN84LZrOVkqAHSC4CACcFx3thV9c1jToctKURRCUGrRpvcW5cjEqlwThrh67IwlCuoDj02sWqdJEl2rtINmS9Eochux/mGRp+XVcbWN9vgDqdcENq5RHlRUu7by7bLPjkt11ju5PMNBqD2AwU8lToEsYQfbpsfdfSXzBBTZc7rwhdXqV/ZKB2EFFVz5uRvvD53J+0IT5+0NSwiaKT94PRwrvN9DkRRU7U6lbKi2K5qoZXvp4+hcJuCf2nC3tx0SBFpXhB+5BFABSutiaC4FgxHE0gkL5/O+RpAvhQPOhK8/sSs5hYzm5uSl9YeUiSzBAOnZIOSd+j2N2ZNMf2fj0KT/ZamD72Jr26zcdFPLVwI2oaPDd2jeDWRubo3aBjuIPS76eVCmGQ1fVmuxr41j3Mx5w/N5TPHAmzCt41aqyqMCBr/o2AxiUwCfnXISfhVp29GOiHXvfSIuKc+6OwDKsE15u+wDfd6QQRxWsn27Mhp2R/zBk4Pjl0Er3d2y5uUn0kt0M4YspnuZdvDjqHgsRUkIq6wk5qjUHUpIkAUMWzQ1l0srl4VLSVF47RsMe6cyIJRrpcxuAWZDNBlbtSHBsjNBHsF0XOHy5uzNNhX2WqztJeT2TP1dNay95uB56TutIaq3bV1JNRA76THdhmXfLBJwbKL6PRQ77ifCrIwQZeP7wvi2a8Arj0bl2YCT3v6qvsb9hv1THPRl0U1ojzBz4PQD3xvYenv9uC/tlFUANj5tzr03PTodHCJNe8F6Dpn/IoowfmmQYXeXlxbG34Jqba99nnIvPGpnbIL0NkLQGWF5dn8JwxCNhMC6VW9f6UMA+A+QaSFLhc/K7uuph3wV3PdwWO1cIv1Acjj+h0/Wtgp9nP/tXkxCa5VK2Ute3V+Ra4Mwz+NFOZpy7C5nnhK/XQClkxaTM/HQhNqR04Al4ZYpO7PyIsXFGiEMjVKkITIhb5p+gw3VM2HN6rn5yb7BVMgI6V1j/93j8hA==',
    sha256: '88ff49ad9a3080ed6aebf6a6a66c20ae91cb2b9b52b9ad44d61eb2ece3f938e6',
    length: 12007,
  },
  {
    name: 'binary preset6',
    packed:
      'XQAAgAD//////////wB7KVTNxQAtPUp+K//I3yra6jPRIG8Isd7lDDaffO/BZofWu9hHpPOw1Tjs3ldw/8DpSt18u8PJDIJqSVnZ6+swRqTxkczpiWbUooullkO1V8BUpTtHbYUJKLsmV3p3Vx9lJSoNoP55Wc1EZlRCL67uKioyesIi2eubi6wT8gxwXuXx/paAfPQ1yU/kxyjT+bbUuBSNDAWZdptHWSAG9BzAPapatao/0+4b5MHiRyRxnjrkxFTp67EjvQt7nqc96YMGypuHazTENk/QkwhDr6LFeYPTdXsbWxVBZUjvsM3//fTWMw==',
    sha256: '2d2d847f470158db6e3a3c182426638bc3623274f06009b93b34bef68d5ea603',
    length: 4000,
  },
  {
    name: 'binary lc0 lp2 pb0',
    packed: 'EgAAgAD//////////wBysT/ALuAFLJDZX4KaxZcgOx0CO/aXVoJKe21aesi4cCZVLVG3GQCT8dBekCTyQypS9Ac03AtyXl4HzXjCzsT8qIgtu9VNEEP//+5TBqs=',
    sha256: '052bc1671450fe19014f6b07d91d9069a80f9ebb0c12d4f71eb4111680add431',
    length: 3000,
  },
  {
    name: 'binary lc4 lp0 pb4',
    packed:
      'uAAAgAD//////////wApk/7NwVScpFp23adKfyiILuJKqLCQHCdlAMjDpiO1OMeEWhGaEEEjatITbhZiH7+cY7IN//I6cGu2pq9EszfItuPwYtPPOe7ZC26DmN2HbFHLwyBV+4krUsS4U0qBKgWmSK5RryQrZtm90HgMIg+iTFuDgO0PQOucTOpZOHXzcrmngQ2EpqC0BR2uFLQS0anCjvZg62EBX5eG1S/OHbDsIoP+A4garARbcmL//51UYQA=',
    sha256: '0de839ddcc43fc7dd5351ce04c73ff7c04b188cab863ef51b42df629ec72a141',
    length: 3000,
  },
  {
    name: 'binary lc1 lp3 pb1',
    packed:
      'SQAAgAD//////////wAvBQgKQO5HscJgII+HYCy4hQ7pcG1+Dkv7QAkR0JR/svtNnizNH0GBiErjeRyqmvDvKgo5dHPYfFaOKIg9x1O2kn/8EY93TLYxKq1yxqBx4SKgY7Hzkeqes23AK+QH71pExG+XF+Td4BoE+tuVtbAgsLfNIt5YLMYijRvmVDMSbIzBK/wQCg4Ktp3LFE8Z8UYK6jXQubr0a5AfAc9NsnCzNPr1uQ7S33wmPS5odhKNvOsOT2iXCx6IgrP3rX0HXNr//42u+OM=',
    sha256: '76212b0be160d1e06ea86b2a85c4e2023fa367e0cfcf83ee7c8e0ccf29566fbe',
    length: 3000,
  },
  {
    name: 'binary fast mode',
    packed:
      'XQAAEAD//////////wAhEn/NDVpjvUeRaNtxPSWHTutA4ZbN3eoSMuGOYTPZIXob3gGLeYtt0gledep3EkBWjbMaKy5XTDz0Yn67sP48oACaXiuq4jrXvOBXMLd01531ydZous6kUtKip9ySyv7airQHkY1M1V17f/OL7QZZIKwubXDodQer+TTn1WiG0xYUxsr4867lV617AaVXyBRdULQEQZinTVMhEDoFM14jxZkSzrIkvzYUPmsOrNKLY3yGHcUYCSQdB9FyhBhdb/j5arNzd9EdajqwsfEGtKEOTsZi5Fvi0l/MIyoNfpCiZ01lcXfIoKXyXY4uiIH7Zb2J9V3RzaP4INr//+BQYkA=',
    sha256: 'b4a72e90bd34f82e75b22a34e9829b654a4117390a128536f6bcda050ada8c08',
    length: 5000,
  },
  {
    name: 'long zero run',
    packed: 'XQAAgAD//////////wAAb/3//6O3/0c+SBVyOWFRuJIo5qOGB/nu5B6C0y/FOjwBS7F+yYqKTS+jDdl/puOMIxFT3H0igO3///spIAA=',
    sha256: '28b4f41a7f3ee6d8cc87272db6e09c6d3566551fd4d18702b041a21658272a85',
    length: 20000,
  },
  {
    name: 'all bytes',
    packed:
      'XQAAgAD//////////wAAAFJQCoT5m7KAIalp1ifgPgZaXwSNU9QEujlXBQnBVSTenbhxWTFgoZ/5b0lz8sjqjLoaiylpIYD+M4Nmr0Zt7J6JiguD8DwOiY4/7V/nnpDZHP8y9LLgOVGy0hQVtMVxutsG43man7s4wbAArJMLqgYZAxIIFVubyEjwMi7+LaCHyPCk4NJR641nVpKyTYTF8YYx32piW8J5Ldn3PHO6dHQH2DypViIkoWb4WoRfMGfS9ktJLn8g69v4EA6UeHfHP2vvtM2V4m/2RG4GzwuCGsvbevBXjZj/kMA+5sESQXXuAyiW6xP7pyjMrzK7pA4l8lY8+BqH//7tT6A=',
    sha256: '10fc3c51a152e90e5b90319b601d92ccf37290ef53c35ff92507687d8a911a08',
    length: 2048,
  },
];
